import assert from 'node:assert/strict';
import { test } from 'node:test';

import { deepMerge } from '../packages/shared/src/utils/deep-merge.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

test('merges nested objects', () => {
  const base = { server: { host: 'localhost', port: 3000, tls: { enabled: false } }, debug: false };
  const result = deepMerge(base, { server: { port: 8080, tls: { enabled: true, cert: 'c.pem' } } });
  assert.deepEqual(result, { server: { host: 'localhost', port: 8080, tls: { enabled: true, cert: 'c.pem' } }, debug: false });
});

test('arrays replace instead of merging by index', () => {
  const result = deepMerge({ hosts: ['a', 'b', 'c'], nested: { ids: [1, 2, 3] } }, { hosts: ['z'], nested: { ids: [] } });
  assert.deepEqual(result, { hosts: ['z'], nested: { ids: [] } });
});

test('undefined is skipped, null replaces', () => {
  const result = deepMerge({ a: 1, b: { c: 2 }, d: 'keep' }, { a: undefined, b: null, d: undefined });
  assert.deepEqual(result, { a: 1, b: null, d: 'keep' });
});

test('a plain object replaces a non-object and the other way round', () => {
  assert.deepEqual(deepMerge({ a: 1, b: { x: 1 } }, { a: { nested: true }, b: 'flat' }), { a: { nested: true }, b: 'flat' });
});

test('overrides apply in order', () => {
  const result = deepMerge({ level: 'base', log: { level: 'info', color: true } }, { level: 'tenant', log: { level: 'warn' } }, { log: { color: false } });
  assert.deepEqual(result, { level: 'tenant', log: { level: 'warn', color: false } });
});

test('no overrides gives an equal copy', () => {
  const base = { a: { b: { c: 1 } } };
  const result = deepMerge(base);
  assert.deepEqual(result, base);
  assert.notEqual(result, base);
  assert.notEqual(result.a, base.a);
  assert.notEqual(result.a.b, base.a.b);
});

test('inputs are not mutated and the result shares no plain object with them', () => {
  const base = deepFreeze({ a: { b: 1 }, keep: { deep: { x: 1 } } });
  const override = deepFreeze({ a: { c: 2 }, extra: { y: { z: 1 } } });
  const result = deepMerge<Record<string, any>>(base, override);
  assert.deepEqual(result, { a: { b: 1, c: 2 }, keep: { deep: { x: 1 } }, extra: { y: { z: 1 } } });
  assert.notEqual(result.keep, base.keep);
  assert.notEqual(result.keep.deep, base.keep.deep);
  assert.notEqual(result.extra, override.extra);
  assert.notEqual(result.extra.y, override.extra.y);
  assert.equal(Object.isFrozen(result.keep.deep), false);
  assert.equal(Object.isFrozen(result.extra.y), false);
});

test('Dates, Maps and class instances replace rather than merge', () => {
  class Money {
    constructor(readonly cents: number) {}
  }
  const when = new Date('2024-01-02T03:04:05Z');
  const lookup = new Map([['k', 'v']]);
  const result = deepMerge<Record<string, unknown>>(
    { when: new Date(0), lookup: new Map([['old', 'x']]), price: new Money(1) },
    { when, lookup, price: new Money(250) },
  );
  assert.ok(result.when instanceof Date);
  assert.equal((result.when as Date).getTime(), when.getTime());
  assert.ok(result.lookup instanceof Map);
  assert.deepEqual([...(result.lookup as Map<string, string>).entries()], [['k', 'v']]);
  assert.ok(result.price instanceof Money);
  assert.equal((result.price as Money).cents, 250);
});

test('objects without a prototype are plain objects', () => {
  const override = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2 });
  assert.deepEqual({ ...deepMerge<Record<string, any>>({ o: { a: 1 } }, { o: override }).o }, { a: 1, b: 2 });
});

test('__proto__, constructor and prototype keys are ignored', () => {
  const payload = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "nested": {"__proto__": {"polluted": true}}, "ok": 1}');
  const result = deepMerge<Record<string, unknown>>({ nested: {} }, payload);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.equal((result as { polluted?: unknown }).polluted, undefined);
  assert.equal(Object.hasOwn(result, 'constructor'), false);
  assert.equal(Object.getPrototypeOf(result.nested), Object.prototype);
  assert.equal((result.nested as { polluted?: unknown }).polluted, undefined);
  assert.equal(result.ok, 1);
});
