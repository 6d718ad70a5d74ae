// Hidden grading test for spec-client-search-tasks: the generated client sends the operation's method, path,
// query, headers and JSON body to a stand-in server, returns the parsed answer, and throws an
// error carrying the status and problem document on a non-2xx answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import { searchTasks } from '../src/api/client.ts';

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

const PROJECT = '0b8e8f5e-6a1c-4f0e-9b7d-2f1d3c4b5a69';
const page = {
  items: [
    {
      task: {
        id: '6f1c2b9e-3d4a-4b5c-9d8e-7f6a5b4c3d2e',
        projectId: PROJECT,
        title: 'Fix login & signup',
        description: '',
        status: 'todo',
        priority: 'high',
        assignee: null,
        dueDate: null,
        createdAt: '2025-01-15T09:30:00Z',
        updatedAt: '2025-01-15T09:30:00Z',
      },
      score: 1.5,
      highlight: null,
    },
  ],
  nextCursor: 'c2Vjb25k',
};

test('sends the search terms, filter and page as query parameters and returns the page', async () => {
  reply = { status: 200, body: page };
  const result = await searchTasks(
    { q: 'login & signup', projectId: PROJECT, cursor: 'Zmlyc3Q=', limit: 25 },
    { baseUrl, token: 'test-token' },
  );
  const req = only();
  assert.equal(req.method, 'GET');
  assert.equal(req.path, '/api/v1/search/tasks');
  assert.deepEqual(Object.fromEntries(req.query), {
    q: 'login & signup',
    projectId: PROJECT,
    cursor: 'Zmlyc3Q=',
    limit: '25',
  });
  assert.equal(req.headers.authorization, 'Bearer test-token');
  assert.equal(req.body, '');
  assert.deepEqual(result, page);
});

test('optional parameters that are not given are not sent', async () => {
  reply = { status: 200, body: { items: [], nextCursor: null } };
  const result = await searchTasks({ q: 'login' }, { baseUrl, token: 'test-token' });
  const req = only();
  assert.equal(req.path, '/api/v1/search/tasks');
  assert.deepEqual([...req.query], [['q', 'login']]);
  assert.deepEqual(result, { items: [], nextCursor: null });
});

test('an error answer is thrown with its status', async () => {
  const problem = { type: 'about:blank', title: 'Unauthorized', status: 401 };
  reply = { status: 401, body: problem, type: 'application/problem+json' };
  await assert.rejects(searchTasks({ q: 'login' }, { baseUrl }), (error: { status?: number; body?: unknown }) => {
    assert.equal(error.status, 401);
    assert.deepEqual(error.body, problem);
    return true;
  });
});
