import assert from 'node:assert/strict';
import { test } from 'node:test';

import { flattenObject, unflattenObject } from '../packages/shared/src/utils/flatten.ts';

const nested = {
  db: { host: 'localhost', port: 5432, pool: { min: 1, max: 10 } },
  features: ['a', 'b'],
  nothing: null,
  empty: {},
  when: new Date('2024-01-01T00:00:00Z'),
  name: 'svc',
};

const flat = {
  'db.host': 'localhost',
  'db.port': 5432,
  'db.pool.min': 1,
  'db.pool.max': 10,
  features: ['a', 'b'],
  nothing: null,
  empty: {},
  when: nested.when,
  name: 'svc',
};

test('flattens nested plain objects and keeps other values as leaves', () => {
  const result = flattenObject(nested);
  assert.deepEqual(result, flat);
  assert.equal(result.features, nested.features);
  assert.equal(result.when, nested.when);
});

test('an empty input gives an empty object', () => {
  assert.deepEqual(flattenObject({}), {});
  assert.deepEqual(unflattenObject({}), {});
});

test('a custom separator', () => {
  assert.deepEqual(flattenObject({ a: { b: { c: 1 } }, d: 2 }, '__'), { a__b__c: 1, d: 2 });
  assert.deepEqual(unflattenObject({ a__b__c: 1, 'x.y': 2 }, '__'), { a: { b: { c: 1 } }, 'x.y': 2 });
});

test('arrays are leaves, not objects with index keys', () => {
  assert.deepEqual(flattenObject({ list: [{ a: 1 }, { b: 2 }] }), { list: [{ a: 1 }, { b: 2 }] });
});

test('unflatten reverses flatten', () => {
  assert.deepEqual(unflattenObject(flat), nested);
  assert.deepEqual(unflattenObject(flattenObject({ a: { b: {}, c: { d: [] } } })), { a: { b: {}, c: { d: [] } } });
});

test('conflicting keys are a TypeError in either order', () => {
  assert.throws(() => unflattenObject({ a: 1, 'a.b': 2 }), TypeError);
  assert.throws(() => unflattenObject({ 'a.b': 2, a: 1 }), TypeError);
  assert.throws(() => unflattenObject({ 'a.b': 1, 'a.b.c': 2 }), TypeError);
  assert.throws(() => unflattenObject({ 'x.y': null, 'x.y.z': 1 }), TypeError);
});

test('siblings under one parent do not conflict', () => {
  assert.deepEqual(unflattenObject({ 'a.b': 1, 'a.c': 2, 'a.d.e': 3 }), { a: { b: 1, c: 2, d: { e: 3 } } });
});

test('empty segments are a TypeError', () => {
  for (const key of ['', '.a', 'a.', 'a..b']) {
    assert.throws(() => unflattenObject({ [key]: 1 }), TypeError, JSON.stringify(key));
  }
});

test('prototype keys are rejected and nothing is polluted', () => {
  for (const key of ['__proto__.polluted', 'a.__proto__.polluted', 'constructor.prototype.polluted', 'a.prototype']) {
    assert.throws(() => unflattenObject({ [key]: true }), TypeError, key);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
