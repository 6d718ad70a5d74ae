import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import express from 'express';

import { requestId } from '../src/middleware/request-id.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

let base = '';
const servers: Server[] = [];

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appWith(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.use(middleware);
  app.get('/echo', (_req, res) => {
    res.json({ id: res.locals.requestId });
  });
  return app;
}

before(async () => {
  base = await serve(appWith(requestId()));
});
after(() => servers.forEach((server) => {
  server.closeAllConnections();
  server.close();
}));

async function call(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const body = (await res.json()) as { id: unknown };
  return { res, id: body.id };
}

test('without a header a v4 UUID is generated, stored and echoed', async () => {
  const { res, id } = await call(`${base}/echo`);
  assert.equal(res.status, 200);
  assert.equal(typeof id, 'string');
  assert.match(id as string, UUID_V4);
  assert.equal(res.headers.get('x-request-id'), id);
});

test('each request gets its own id', async () => {
  const first = await call(`${base}/echo`);
  const second = await call(`${base}/echo`);
  assert.notEqual(first.id, second.id);
});

test('a valid incoming id is kept', async () => {
  for (const incoming of ['abc-123_DEF.4', 'a', 'x'.repeat(128)]) {
    const { res, id } = await call(`${base}/echo`, { 'X-Request-Id': incoming });
    assert.equal(id, incoming);
    assert.equal(res.headers.get('x-request-id'), incoming);
  }
});

test('an invalid incoming id is replaced', async () => {
  for (const incoming of ['x'.repeat(129), 'has space', '<script>', 'ünïcode', 'a/b', 'a,b']) {
    const { res, id } = await call(`${base}/echo`, { 'X-Request-Id': incoming });
    assert.match(id as string, UUID_V4, `incoming ${incoming}`);
    assert.equal(res.headers.get('x-request-id'), id);
  }
});

test('an empty header is replaced', async () => {
  const { id } = await call(`${base}/echo`, { 'X-Request-Id': '' });
  assert.match(id as string, UUID_V4);
});

test('a custom header name is read and echoed', async () => {
  const custom = await serve(appWith(requestId({ header: 'X-Correlation-Id' })));
  const kept = await call(`${custom}/echo`, { 'X-Correlation-Id': 'corr-42', 'X-Request-Id': 'other' });
  assert.equal(kept.id, 'corr-42');
  assert.equal(kept.res.headers.get('x-correlation-id'), 'corr-42');
  assert.equal(kept.res.headers.get('x-request-id'), null);
  const fresh = await call(`${custom}/echo`, { 'X-Request-Id': 'ignored' });
  assert.match(fresh.id as string, UUID_V4);
  assert.equal(fresh.res.headers.get('x-correlation-id'), fresh.id);
});

test('the id is set before the route runs, also on errors', async () => {
  const app = express();
  app.use(requestId());
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.use(((_error, _req, res, _next) => {
    res.status(500).json({ id: res.locals.requestId });
  }) as express.ErrorRequestHandler);
  const url = await serve(app);
  const { res, id } = await call(`${url}/fail`, { 'X-Request-Id': 'trace-me' });
  assert.equal(res.status, 500);
  assert.equal(id, 'trace-me');
  assert.equal(res.headers.get('x-request-id'), 'trace-me');
});
