// Hidden grading test for spec-client-create-project: the generated client sends the operation's method, path,
// query, headers and JSON body to a stand-in server, returns the parsed answer, and throws an
// error carrying the status and problem document on a non-2xx answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import { createProject } from '../src/api/projects.ts';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the Taskboard API: records each request and answers with `reply`. */
let server: Server;
let baseUrl = '';
let requests: Recorded[] = [];
let reply: { status: number; body?: unknown; type?: string } = { status: 200 };

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body });
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
        return;
      }
      res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  // a base URL with a path of its own: the operation's path is appended to it
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests = [];
});

function only(): Recorded {
  assert.equal(requests.length, 1, 'exactly one request');
  return requests[0];
}

const KEY = '8e03978e-40d5-43e8-bc93-6894a57f9324';
const input = { key: 'TB', name: 'Taskboard', description: 'Everything about the Taskboard demo.', metadata: { team: 'platform' } };
const project = { ...input, id: '0b8e8f5e-6a1c-4f0e-9b7d-2f1d3c4b5a69', status: 'active', createdAt: '2025-01-15T09:30:00Z' };

test('posts the project as JSON with the idempotency key and returns the created project', async () => {
  reply = { status: 201, body: project };
  const result = await createProject({ 'Idempotency-Key': KEY }, input, { baseUrl, token: 'test-token' });
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/api/v1/projects');
  assert.match(req.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(req.headers.authorization, 'Bearer test-token');
  assert.equal(req.headers['idempotency-key'], KEY);
  assert.deepEqual(JSON.parse(req.body), input);
  assert.deepEqual(result, project);
});

test('without an idempotency key no Idempotency-Key header is sent', async () => {
  reply = { status: 201, body: project };
  await createProject({}, { key: 'TB', name: 'Taskboard' }, { baseUrl, token: 'test-token' });
  const req = only();
  assert.equal(req.headers['idempotency-key'], undefined);
  assert.deepEqual(JSON.parse(req.body), { key: 'TB', name: 'Taskboard' });
});

test('a duplicate key: the 409 problem is thrown', async () => {
  const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Project key TB is taken.' };
  reply = { status: 409, body: problem, type: 'application/problem+json' };
  await assert.rejects(createProject({}, input, { baseUrl, token: 'test-token' }), (error: { status?: number; body?: unknown }) => {
    assert.equal(error.status, 409);
    assert.deepEqual(error.body, problem);
    return true;
  });
});
