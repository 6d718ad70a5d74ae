// Hidden grading test for spec-client-list-labels: the generated client sends the operation's method, path,
// query, headers and JSON body to a stand-in server, returns the parsed answer, and throws an
// error carrying the status and problem document on a non-2xx answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import { listLabels } from '../src/api/client.ts';

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
const labels = [
  { id: 'c2a9f8e1-4b3d-4e6f-8a1b-9d0c7e5f3a21', projectId: PROJECT, name: 'bug', color: '#d73a4a', createdAt: '2025-01-15T09:30:00Z' },
  { id: 'd3b0a9f2-5c4e-4f70-9b2c-0e1d8f6a4b32', projectId: PROJECT, name: 'docs', color: '#6b7280', createdAt: '2025-01-16T10:00:00Z' },
];

test("gets the project's labels and returns the array as it is (not paginated)", async () => {
  reply = { status: 200, body: labels };
  const result = await listLabels({ projectId: PROJECT }, { baseUrl, token: 'test-token' });
  const req = only();
  assert.equal(req.method, 'GET');
  assert.equal(req.path, `/api/v1/projects/${PROJECT}/labels`);
  assert.equal([...req.query].length, 0);
  assert.equal(req.headers.authorization, 'Bearer test-token');
  assert.deepEqual(result, labels);
});

test('an empty project has an empty array of labels', async () => {
  reply = { status: 200, body: [] };
  assert.deepEqual(await listLabels({ projectId: PROJECT }, { baseUrl, token: 'test-token' }), []);
});

test('an unknown project: the 404 problem is thrown', async () => {
  const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: `Project ${PROJECT} was not found` };
  reply = { status: 404, body: problem, type: 'application/problem+json' };
  await assert.rejects(listLabels({ projectId: PROJECT }, { baseUrl, token: 'test-token' }), (error: { status?: number; body?: unknown }) => {
    assert.equal(error.status, 404);
    assert.deepEqual(error.body, problem);
    return true;
  });
});
