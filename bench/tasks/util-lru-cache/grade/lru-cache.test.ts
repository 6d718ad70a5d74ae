import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LruCache } from '../src/lib/lru-cache.ts';

test('capacity must be a positive integer', () => {
  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new LruCache<string, number>(capacity), RangeError, String(capacity));
  }
});

test('evicts the least recently used entry', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.equal(cache.has('a'), false);
  assert.equal(cache.get('a'), undefined);
  assert.deepEqual(cache.keys(), ['b', 'c']);
  assert.equal(cache.size, 2);
});

test('get refreshes recency', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1).set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.deepEqual(cache.keys(), ['a', 'c']);
  assert.equal(cache.get('b'), undefined);
});

test('has does not refresh recency', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1).set('b', 2);
  assert.equal(cache.has('a'), true);
  cache.set('c', 3);
  assert.deepEqual(cache.keys(), ['b', 'c']);
});

test('updating a key refreshes it and evicts nothing', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1).set('b', 2).set('a', 10);
  assert.equal(cache.size, 2);
  assert.deepEqual(cache.keys(), ['b', 'a']);
  cache.set('c', 3);
  assert.deepEqual(cache.keys(), ['a', 'c']);
  assert.equal(cache.get('a'), 10);
});

test('set returns the cache', () => {
  const cache = new LruCache<string, number>(3);
  assert.equal(cache.set('a', 1), cache);
});

test('falsy values are real entries', () => {
  const cache = new LruCache<string, unknown>(3);
  cache.set('zero', 0).set('empty', '').set('none', undefined);
  assert.equal(cache.has('none'), true);
  assert.equal(cache.get('zero'), 0);
  assert.deepEqual(cache.keys(), ['empty', 'none', 'zero']);
  assert.equal(cache.get('none'), undefined);
  assert.deepEqual(cache.keys(), ['empty', 'zero', 'none']);
  cache.set('new', 1);
  assert.deepEqual(cache.keys(), ['zero', 'none', 'new']);
});

test('capacity 1 keeps only the last entry', () => {
  const cache = new LruCache<number, string>(1);
  cache.set(1, 'one').set(2, 'two');
  assert.deepEqual(cache.keys(), [2]);
  assert.equal(cache.get(1), undefined);
});

test('delete and clear', () => {
  const cache = new LruCache<string, number>(3);
  cache.set('a', 1).set('b', 2);
  assert.equal(cache.delete('a'), true);
  assert.equal(cache.delete('a'), false);
  assert.equal(cache.size, 1);
  cache.clear();
  assert.equal(cache.size, 0);
  assert.deepEqual(cache.keys(), []);
});

test('object keys are compared by identity', () => {
  const a = { id: 1 };
  const cache = new LruCache<object, string>(2);
  cache.set(a, 'first');
  assert.equal(cache.get({ id: 1 }), undefined);
  assert.equal(cache.get(a), 'first');
});
