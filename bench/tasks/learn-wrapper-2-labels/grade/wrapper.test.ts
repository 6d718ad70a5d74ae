import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { ApiFailure, requested } from '../src/lib/http.ts';
import { listLabelNames } from '../src/api/labels.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  requested.length = 0;
});

function answer(status: number, body: unknown): void {
  globalThis.fetch = (async (input: string | URL | Request) => {
    assert.equal(String(input), 'https://api.taskboard.test/v1/labels');
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

test('returns the name of every item', async () => {
  answer(200, [{ name: 'a', id: '1' }, { name: 'b', id: '2' }]);
  assert.deepEqual(await listLabelNames(), ['a', 'b']);
});

test('goes through the project\'s apiFetch (the request is in its log)', async () => {
  answer(200, []);
  await listLabelNames();
  assert.deepEqual(requested, ['/labels']);
});

test('a failed request is the project\'s ApiFailure', async () => {
  answer(503, { error: 'down' });
  await assert.rejects(listLabelNames(), (error: unknown) => error instanceof ApiFailure && error.status === 503);
});
