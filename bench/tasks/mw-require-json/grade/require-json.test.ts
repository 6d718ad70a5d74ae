import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import express from 'express';

import { requireJson } from '../src/middleware/require-json.ts';

let base = '';
let server: Server;
let reached = 0;

before(async () => {
  const app = express();
  app.use(requireJson);
  app.all('/things', (req, res) => {
    reached += 1;
    res.json({ method: req.method });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function send(method: string, contentType: string | null, body: string | null = '{"a":1}') {
  const headers: Record<string, string> = {};
  if (contentType !== null) headers['content-type'] = contentType;
  const res = await fetch(`${base}/things`, { method, headers, body: body ?? undefined });
  const text = method === 'HEAD' ? '' : await res.text();
  return { status: res.status, text };
}

test('methods without a body pass whatever the content type', async () => {
  for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) {
    const { status } = await send(method, method === 'DELETE' ? 'text/plain' : null, method === 'DELETE' ? 'x' : null);
    assert.equal(status, 200, method);
  }
});

test('JSON bodies pass', async () => {
  for (const type of [
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.acme.order+json; version=2',
  ]) {
    const { status, text } = await send('POST', type);
    assert.equal(status, 200, type);
    assert.deepEqual(JSON.parse(text), { method: 'POST' });
  }
  assert.equal((await send('PUT', 'application/json')).status, 200);
  assert.equal((await send('PATCH', 'application/json')).status, 200);
});

test('other media types are a 415 that never reaches the route', async () => {
  const before = reached;
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jsonp',
    'text/json',
    'application/json-seq',
    'multipart/form-data; boundary=x',
  ]) {
    const { status, text } = await send('POST', type);
    assert.equal(status, 415, type);
    assert.deepEqual(JSON.parse(text), { error: 'unsupported_media_type' });
  }
  assert.equal(reached, before);
});

test('a missing content type is rejected for methods with a body', async () => {
  for (const method of ['POST', 'PUT', 'PATCH']) {
    const { status, text } = await send(method, null, null);
    assert.equal(status, 415, method);
    assert.deepEqual(JSON.parse(text), { error: 'unsupported_media_type' });
  }
});
