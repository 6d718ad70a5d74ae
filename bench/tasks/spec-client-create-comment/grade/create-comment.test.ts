// Hidden grading test for spec-client-create-comment: the generated client sends the operation's method, path,
// query, headers and JSON body to a stand-in server, returns the parsed answer, and throws an
// error carrying the status and problem document on a non-2xx answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import { createComment } from '../src/api/client.ts';

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

const TASK = '6f1c2b9e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';
const comment = {
  id: '9a7c5e3b-1d2f-4a6b-8c0d-2e4f6a8b0c1d',
  taskId: TASK,
  author: 'alice@example.com',
  body: 'Looks good to me.',
  createdAt: '2025-01-15T09:30:00Z',
};

test('posts the comment as JSON to the task and returns the created comment', async () => {
  reply = { status: 201, body: comment };
  const created = await createComment(
    { taskId: TASK },
    { author: 'alice@example.com', body: 'Looks good to me.' },
    { baseUrl, token: 'test-token' },
  );
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.path, `/api/v1/tasks/${TASK}/comments`);
  assert.equal([...req.query].length, 0);
  assert.match(req.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(req.headers.authorization, 'Bearer test-token');
  assert.deepEqual(JSON.parse(req.body), { author: 'alice@example.com', body: 'Looks good to me.' });
  assert.deepEqual(created, comment);
});

test('a validation problem is thrown with its status and problem document', async () => {
  const problem = {
    type: 'https://taskboard.example.com/problems/validation-failed',
    title: 'Validation Failed',
    status: 400,
    errors: [{ path: '/body', message: 'String must contain at least 1 character(s)' }],
  };
  reply = { status: 400, body: problem, type: 'application/problem+json' };
  await assert.rejects(
    createComment({ taskId: TASK }, { author: 'alice@example.com', body: '' }, { baseUrl, token: 'test-token' }),
    (error: { status?: number; body?: unknown }) => {
      assert.equal(error.status, 400);
      assert.deepEqual(error.body, problem);
      return true;
    },
  );
});
