import assert from 'node:assert/strict';
import { test } from 'node:test';

import { paginate } from '../src/lib/paginate.ts';

function walk<T>(items: readonly T[], limit: number): T[][] {
  const pages: T[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = paginate(items, { limit, cursor });
    pages.push(page.items);
    if (page.nextCursor === null) {
      return pages;
    }
    assert.equal(typeof page.nextCursor, 'string');
    cursor = page.nextCursor;
  }
  throw new Error('pagination never ended');
}

test('walks every item once, in order', () => {
  assert.deepEqual(walk(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b'], ['c', 'd'], ['e']]);
});

test('an exact multiple ends without an empty page', () => {
  assert.deepEqual(walk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
  assert.deepEqual(paginate([1, 2, 3], { limit: 3 }), { items: [1, 2, 3], nextCursor: null });
});

test('an empty list is one empty page', () => {
  assert.deepEqual(paginate([], { limit: 10 }), { items: [], nextCursor: null });
  assert.deepEqual(paginate([], { limit: 10, cursor: null }), { items: [], nextCursor: null });
});

test('the same cursor gives the same page', () => {
  const items = Array.from({ length: 250 }, (_, i) => i);
  const first = paginate(items, { limit: 100 });
  assert.deepEqual(first.items, items.slice(0, 100));
  const second = paginate(items, { limit: 100, cursor: first.nextCursor });
  const again = paginate(items, { limit: 100, cursor: first.nextCursor });
  assert.deepEqual(second, again);
  assert.deepEqual(second.items, items.slice(100, 200));
  const third = paginate(items, { limit: 100, cursor: second.nextCursor });
  assert.deepEqual(third.items, items.slice(200));
  assert.equal(third.nextCursor, null);
});

test('the limit may change between pages', () => {
  const items = ['a', 'b', 'c', 'd', 'e', 'f'];
  const first = paginate(items, { limit: 1 });
  const second = paginate(items, { limit: 4, cursor: first.nextCursor });
  assert.deepEqual(second.items, ['b', 'c', 'd', 'e']);
  assert.notEqual(second.nextCursor, null);
});

test('limits outside 1 to 100 are a RangeError', () => {
  for (const limit of [0, -1, 101, 2.5, Number.NaN]) {
    assert.throws(() => paginate([1, 2, 3], { limit }), RangeError, String(limit));
  }
  assert.equal(paginate(Array.from({ length: 200 }, (_, i) => i), { limit: 100 }).items.length, 100);
});

test('cursors paginate did not produce are a RangeError', () => {
  const items = [1, 2, 3, 4, 5];
  for (const cursor of ['garbage', '', '!!!', '-1']) {
    assert.throws(() => paginate(items, { limit: 2, cursor }), RangeError, JSON.stringify(cursor));
  }
});

test('a cursor past the end of a shorter list is a RangeError', () => {
  const long = Array.from({ length: 50 }, (_, i) => i);
  let cursor = paginate(long, { limit: 10 }).nextCursor;
  cursor = paginate(long, { limit: 10, cursor }).nextCursor;
  cursor = paginate(long, { limit: 10, cursor }).nextCursor; // points at item 30
  assert.throws(() => paginate(long.slice(0, 20), { limit: 10, cursor }), RangeError);
});
