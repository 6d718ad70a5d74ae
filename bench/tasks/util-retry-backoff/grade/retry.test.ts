import assert from 'node:assert/strict';
import { test } from 'node:test';

import { retry } from '../src/lib/retry.ts';

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

function failing(times: number, value = 'ok') {
  const attempts: number[] = [];
  const errors: Error[] = [];
  const operation = async (attempt: number) => {
    attempts.push(attempt);
    if (attempts.length <= times) {
      const error = new Error(`failure ${attempts.length}`);
      errors.push(error);
      throw error;
    }
    return value;
  };
  return { attempts, errors, operation };
}

test('a first success is returned without sleeping', async () => {
  const { delays, sleep } = recorder();
  const op = failing(0, 'done');
  assert.equal(await retry(op.operation, { retries: 3, baseDelayMs: 100, sleep }), 'done');
  assert.deepEqual(op.attempts, [1]);
  assert.deepEqual(delays, []);
});

test('retries with exponential delays until it succeeds', async () => {
  const { delays, sleep } = recorder();
  const op = failing(2);
  assert.equal(await retry(op.operation, { retries: 3, baseDelayMs: 100, sleep }), 'ok');
  assert.deepEqual(op.attempts, [1, 2, 3]);
  assert.deepEqual(delays, [100, 200]);
});

test('rejects with the last error once the retries are used up', async () => {
  const { delays, sleep } = recorder();
  const op = failing(Infinity);
  await assert.rejects(retry(op.operation, { retries: 3, baseDelayMs: 100, sleep }), (error) => error === op.errors[3]);
  assert.deepEqual(op.attempts, [1, 2, 3, 4]);
  assert.deepEqual(delays, [100, 200, 400]);
});

test('retries: 0 means a single attempt', async () => {
  const { delays, sleep } = recorder();
  const op = failing(Infinity);
  await assert.rejects(retry(op.operation, { retries: 0, baseDelayMs: 100, sleep }), (error) => error === op.errors[0]);
  assert.deepEqual(op.attempts, [1]);
  assert.deepEqual(delays, []);
});

test('delays are capped by maxDelayMs', async () => {
  const { delays, sleep } = recorder();
  const op = failing(5);
  assert.equal(await retry(op.operation, { retries: 5, baseDelayMs: 100, maxDelayMs: 250, sleep }), 'ok');
  assert.deepEqual(delays, [100, 200, 250, 250, 250]);
});

test('shouldRetry false rejects at once without sleeping', async () => {
  const { delays, sleep } = recorder();
  const fatal = new TypeError('fatal');
  const attempts: number[] = [];
  const seen: unknown[] = [];
  const operation = async (attempt: number): Promise<string> => {
    attempts.push(attempt);
    throw attempt === 1 ? new Error('transient') : fatal;
  };
  const shouldRetry = (error: unknown) => {
    seen.push(error);
    return error !== fatal;
  };
  await assert.rejects(retry(operation, { retries: 5, baseDelayMs: 10, sleep, shouldRetry }), (error) => error === fatal);
  assert.deepEqual(attempts, [1, 2]);
  assert.deepEqual(delays, [10]);
  assert.equal(seen.length, 2);
});

test('waits for sleep before the next attempt', async () => {
  const events: string[] = [];
  const sleep = async (ms: number) => {
    events.push(`sleep ${ms} start`);
    await new Promise((resolve) => setImmediate(resolve));
    events.push(`sleep ${ms} end`);
  };
  const op = failing(1);
  await retry(async (attempt) => {
    events.push(`attempt ${attempt}`);
    return op.operation(attempt);
  }, { retries: 1, baseDelayMs: 5, sleep });
  assert.deepEqual(events, ['attempt 1', 'sleep 5 start', 'sleep 5 end', 'attempt 2']);
});

test('the default sleep really waits', async () => {
  const op = failing(2);
  const started = Date.now();
  assert.equal(await retry(op.operation, { retries: 2, baseDelayMs: 20 }), 'ok');
  assert.ok(Date.now() - started >= 55, `waited only ${Date.now() - started} ms`);
});
