// Hidden grading test for spec-handler-attach-label: the generated route exists where the spec puts it,
// checks the bearer token, validates parameters and body as the spec says, and answers errors as
// RFC 9457 problem documents; the business logic stays the project's to write.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import { createApp } from '../src/app.ts';

let base = '';
let close: () => void;

before(async () => {
  const server = createApp().listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  close = () => {
    server.closeAllConnections();
    server.close();
  };
});
after(() => close());

interface CallOptions {
  body?: unknown;
  authorization?: string | null; // null: no Authorization header
}

function call(method: string, path: string, { body, authorization = 'Bearer test-token' }: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (authorization !== null) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** An RFC 9457 problem document with this status; for 400s, one field error naming `field`. */
async function assertProblem(res: Response, status: number, field?: string): Promise<void> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = await res.json();
  assert.equal(problem.status, status);
  assert.equal(typeof problem.type, 'string');
  assert.equal(typeof problem.title, 'string');
  if (status === 400) {
    assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, 'a validation problem lists its errors');
    for (const error of problem.errors) {
      assert.equal(typeof error.path, 'string');
      assert.equal(typeof error.message, 'string');
    }
    if (field) {
      assert.ok(
        problem.errors.some((error: { path: string }) => error.path.includes(field)),
        `no error names ${field}: ${JSON.stringify(problem.errors)}`,
      );
    }
  }
}

/**
 * The request got through routing, authentication and validation to the operation itself.
 * The business logic is the project's to write: the generated stub throws "not implemented",
 * which the app answers with a 5xx. An implementation may instead answer the spec's success
 * status, or a 404 problem for the unknown id; never the app's "no such route" 404, a 400 or a 401.
 */
async function assertReachesOperation(res: Response, success: number): Promise<void> {
  if (res.status >= 500) return;
  if (res.status === 404) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, 'no route answered');
    return;
  }
  assert.equal(res.status, success, `unexpected ${res.status}: ${await res.text()}`);
}

const TASK = '6f1c2b9e-3d4a-4b5c-9d8e-7f6a5b4c3d2e';
const LABEL = 'c2a9f8e1-4b3d-4e6f-8a1b-9d0c7e5f3a21';

test('attaching a label requires a bearer token', async () => {
  await assertProblem(await call('PUT', `/tasks/${TASK}/labels/${LABEL}`, { authorization: null }), 401);
  await assertProblem(await call('PUT', `/tasks/${TASK}/labels/${LABEL}`, { authorization: 'bearer-token' }), 401);
});

test('an invalid task id is a 400 problem', async () => {
  await assertProblem(await call('PUT', `/tasks/123/labels/${LABEL}`), 400, 'taskId');
});

test('an invalid label id is a 400 problem', async () => {
  await assertProblem(await call('PUT', `/tasks/${TASK}/labels/not-a-uuid`), 400, 'labelId');
});

test('valid ids reach the operation (the request has no body)', async () => {
  await assertReachesOperation(await call('PUT', `/tasks/${TASK}/labels/${LABEL}`), 200);
});

test('reading the task is still the existing route', async () => {
  const res = await call('GET', `/tasks/${TASK}`);
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error.code, 'not_found');
});
