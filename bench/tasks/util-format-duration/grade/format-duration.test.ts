import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatDuration } from '../src/lib/duration.ts';

test('the examples of the instruction', () => {
  assert.equal(formatDuration(90_061_000), '1d 1h 1m 1s');
  assert.equal(formatDuration(3_600_000), '1h');
  assert.equal(formatDuration(864_005_000), '10d 5s');
  assert.equal(formatDuration(1999), '1s');
});

test('under a second is 0s', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(999), '0s');
  assert.equal(formatDuration(0.5), '0s');
});

test('unit boundaries', () => {
  assert.equal(formatDuration(59_999), '59s');
  assert.equal(formatDuration(60_000), '1m');
  assert.equal(formatDuration(3_599_999), '59m 59s');
  assert.equal(formatDuration(86_399_999), '23h 59m 59s');
  assert.equal(formatDuration(86_400_000), '1d');
});

test('zero units in the middle are left out', () => {
  assert.equal(formatDuration(3_601_000), '1h 1s');
  assert.equal(formatDuration(86_460_000), '1d 1m');
});

test('days do not roll over into larger units', () => {
  assert.equal(formatDuration(400 * 86_400_000), '400d');
});

test('invalid input throws a RangeError', () => {
  for (const value of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    assert.throws(() => formatDuration(value), RangeError, String(value));
  }
});
