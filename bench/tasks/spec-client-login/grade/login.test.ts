// Hidden grading test for spec-client-login: the generated client sends the operation's method, path,
// query, headers and JSON body to a stand-in server, returns the parsed answer, and throws an
// error carrying the status and problem document on a non-2xx answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import { login } from '../src/api/auth.ts';

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

const tokens = { accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', refreshToken: 'r-123', tokenType: 'Bearer', expiresIn: 900 };

test('posts the credentials as JSON, without a bearer token, and returns the token pair', async () => {
  reply = { status: 200, body: tokens };
  const result = await login({ email: 'alice@example.com', password: 'correct horse' }, { baseUrl });
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/api/v1/auth/login');
  assert.match(req.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(req.headers.authorization, undefined);
  assert.deepEqual(JSON.parse(req.body), { email: 'alice@example.com', password: 'correct horse' });
  assert.deepEqual(result, tokens);
});

test('wrong credentials: the 401 problem is thrown', async () => {
  const problem = { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid email or password.' };
  reply = { status: 401, body: problem, type: 'application/problem+json' };
  await assert.rejects(login({ email: 'alice@example.com', password: 'wrong password' }, { baseUrl }), (error: { status?: number; body?: unknown }) => {
    assert.equal(error.status, 401);
    assert.deepEqual(error.body, problem);
    return true;
  });
});
