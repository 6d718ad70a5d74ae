import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';

import express from 'express';

import { rateLimit } from '../src/middleware/rate-limit.ts';

const servers: Server[] = [];
after(() => servers.forEach((server) => {
  server.closeAllConnections();
  server.close();
}));

async function setup(options: Omit<Parameters<typeof rateLimit>[0], 'now'>) {
  const clock = { t: 1_000_000 };
  const handled = { count: 0 };
  const app = express();
  app.use(rateLimit({ ...options, now: () => clock.t }));
  app.get('/ping', (_req, res) => {
    handled.count += 1;
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (headers: Record<string, string> = {}) => fetch(`${base}/ping`, { headers });
  return { clock, handled, get };
}

test('lets requests through up to the limit with the headers', async () => {
  const { get, handled } = await setup({ limit: 3, windowMs: 1000 });
  for (const remaining of ['2', '1', '0']) {
    const res = await get();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('ratelimit-limit'), '3');
    assert.equal(res.headers.get('ratelimit-remaining'), remaining);
    await res.text();
  }
  assert.equal(handled.count, 3);
});

test('answers 429 over the limit without reaching the route', async () => {
  const { get, handled } = await setup({ limit: 2, windowMs: 1000 });
  await (await get()).text();
  await (await get()).text();
  const res = await get();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await res.json(), { error: 'too_many_requests' });
  assert.equal(handled.count, 2);
});

test('Retry-After is the seconds left in the window, rounded up', async () => {
  const { get, clock } = await setup({ limit: 1, windowMs: 5000 });
  await (await get()).text();
  clock.t += 1200;
  let res = await get();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '4');
  await res.text();
  clock.t += 2800; // 4000 ms into the window: 1000 ms left
  res = await get();
  assert.equal(res.headers.get('retry-after'), '1');
  await res.text();
  clock.t += 999; // 1 ms left
  res = await get();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  await res.text();
});

test('a new window starts at the end of the old one; rejected requests do not extend it', async () => {
  const { get, clock } = await setup({ limit: 1, windowMs: 1000 });
  await (await get()).text();
  clock.t += 500;
  const blocked = await get();
  assert.equal(blocked.status, 429);
  await blocked.text();
  clock.t += 500; // exactly windowMs after the first request
  const res = await get();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('ratelimit-remaining'), '0');
  await res.text();
});

test('a window starts at the key\'s first request, not on a fixed grid', async () => {
  const { get, clock } = await setup({ limit: 1, windowMs: 1000 });
  clock.t = 1_000_900;
  await (await get()).text();
  clock.t = 1_001_100; // a 1000-ms grid would have started a new window at 1_001_000
  const res = await get();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  await res.text();
});

test('keys are counted separately', async () => {
  const { get } = await setup({ limit: 1, windowMs: 60_000, keyOf: (req) => req.get('x-api-key') ?? 'anonymous' });
  assert.equal((await get({ 'x-api-key': 'a' })).status, 200);
  assert.equal((await get({ 'x-api-key': 'b' })).status, 200);
  const res = await get({ 'x-api-key': 'a' });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '60');
  assert.equal((await get()).status, 200);
});

test('the default key is the client address', async () => {
  const { get } = await setup({ limit: 1, windowMs: 1000 });
  assert.equal((await get({ 'x-api-key': 'a' })).status, 200);
  assert.equal((await get({ 'x-api-key': 'b' })).status, 429);
});
