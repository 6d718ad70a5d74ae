import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chunk } from '../src/lib/collections.ts';

test('invalid sizes throw a RangeError', () => {
  for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => chunk([1, 2, 3], size), RangeError, `size ${size}`);
  }
});

test('splits into groups with a shorter last group', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
});

test('an exact multiple has no empty trailing group', () => {
  assert.deepEqual(chunk(['a', 'b', 'c', 'd'], 2), [['a', 'b'], ['c', 'd']]);
});

test('a size larger than the array gives one group', () => {
  assert.deepEqual(chunk([1, 2, 3], 10), [[1, 2, 3]]);
});

test('size 1 gives singletons', () => {
  assert.deepEqual(chunk([1, 2, 3], 1), [[1], [2], [3]]);
});

test('an empty array gives no groups', () => {
  assert.deepEqual(chunk([], 3), []);
});

test('the input is not mutated and groups are new arrays', () => {
  const items = Object.freeze([1, 2, 3, 4]);
  const groups = chunk(items, 4);
  assert.deepEqual(groups, [[1, 2, 3, 4]]);
  assert.notEqual(groups[0], items);
  groups[0].push(5);
  assert.deepEqual(items, [1, 2, 3, 4]);
});
