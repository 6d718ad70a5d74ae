import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import express from 'express';
import { z } from 'zod';

import { HttpError } from '../src/lib/http-error.ts';
import { problemDetails } from '../src/middleware/problem-details.ts';

let base = '';
let server: Server;

before(async () => {
  const app = express();
  app.use(express.json());
  app.post('/validate', (req, res) => {
    const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()), address: z.object({ zip: z.string() }) });
    res.json(schema.parse(req.body));
  });
  app.get('/top-level', () => {
    z.string().parse(42);
  });
  app.get('/missing', () => {
    throw new HttpError(404, 'Project p-1 not found');
  });
  app.get('/conflict', (_req, _res, next) => {
    next(new HttpError(409, 'Key already taken'));
  });
  app.get('/teapot', () => {
    throw new HttpError(418, 'Short and stout');
  });
  app.get('/crash', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/async', async (_req, _res, next) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    next(new TypeError('secret internals'));
  });
  app.get('/thrown-string', () => {
    throw 'just a string';
  });
  app.get('/partial', (_req, res, next) => {
    res.status(200).write('partial');
    next(new HttpError(500, 'too late'));
  });
  app.use(problemDetails);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function problem(res: Response) {
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  return (await res.json()) as Record<string, unknown>;
}

test('a ZodError is a 400 with one entry per issue', async () => {
  const res = await fetch(`${base}/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: '', tags: ['ok', 7], address: {} }),
  });
  assert.equal(res.status, 400);
  const body = await problem(res);
  assert.equal(body.type, 'about:blank');
  assert.equal(body.title, 'Bad Request');
  assert.equal(body.status, 400);
  assert.equal(body.detail, 'Validation failed');
  const errors = body.errors as Array<{ path: string; message: string }>;
  assert.deepEqual(errors.map((e) => e.path).sort(), ['address.zip', 'name', 'tags.1']);
  for (const entry of errors) {
    assert.equal(typeof entry.message, 'string');
    assert.ok(entry.message.length > 0);
    assert.deepEqual(Object.keys(entry).sort(), ['message', 'path']);
  }
});

test('an issue without a path has the path ""', async () => {
  const res = await fetch(`${base}/top-level`);
  assert.equal(res.status, 400);
  const body = await problem(res);
  assert.deepEqual((body.errors as Array<{ path: string }>).map((e) => e.path), ['']);
});

test('an HttpError keeps its status, with the reason phrase as title', async () => {
  let res = await fetch(`${base}/missing`);
  assert.equal(res.status, 404);
  assert.deepEqual(await problem(res), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Project p-1 not found' });

  res = await fetch(`${base}/conflict`);
  assert.equal(res.status, 409);
  assert.deepEqual(await problem(res), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Key already taken' });

  res = await fetch(`${base}/teapot`);
  assert.equal(res.status, 418);
  assert.equal((await problem(res)).title, "I'm a Teapot");
});

test('anything else is a 500 that does not leak the message', async () => {
  for (const path of ['/crash', '/async', '/thrown-string']) {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.status, 500, path);
    const text = await res.text();
    assert.doesNotMatch(text, /hunter2|secret internals|just a string/);
    assert.deepEqual(JSON.parse(text), { type: 'about:blank', title: 'Internal Server Error', status: 500 });
  }
});

test('after the headers were sent the error goes to the next handler', async () => {
  const res = await fetch(`${base}/partial`).catch((error: unknown) => error);
  if (res instanceof Response) {
    assert.equal(res.status, 200);
    const text = await res.text().catch(() => '');
    assert.doesNotMatch(text, /about:blank/);
  }
});
