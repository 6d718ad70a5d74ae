import assert from 'node:assert/strict';
import { test } from 'node:test';

import { groupBy } from '../src/lib/grouping.ts';

const tasks = [
  { id: 't1', status: 'done' },
  { id: 't2', status: 'todo' },
  { id: 't3', status: 'done' },
  { id: 't4', status: 'in_progress' },
  { id: 't5', status: 'todo' },
];

test('returns a Map of groups in order of first appearance', () => {
  const groups = groupBy(tasks, (task) => task.status);
  assert.ok(groups instanceof Map);
  assert.deepEqual([...groups.keys()], ['done', 'todo', 'in_progress']);
  assert.deepEqual(groups.get('done')?.map((t) => t.id), ['t1', 't3']);
  assert.deepEqual(groups.get('todo')?.map((t) => t.id), ['t2', 't5']);
  assert.deepEqual(groups.get('in_progress')?.map((t) => t.id), ['t4']);
});

test('an empty input gives an empty Map', () => {
  const groups = groupBy([] as number[], (n) => n % 2);
  assert.ok(groups instanceof Map);
  assert.equal(groups.size, 0);
});

test('keyOf receives the position', () => {
  const groups = groupBy(['a', 'b', 'c', 'd', 'e'], (_item, index) => Math.floor(index / 2));
  assert.deepEqual([...groups.entries()], [[0, ['a', 'b']], [1, ['c', 'd']], [2, ['e']]]);
});

test('accepts any iterable, consumed once', () => {
  function* numbers() {
    yield 1;
    yield 2;
    yield 3;
    yield 4;
  }
  const groups = groupBy(numbers(), (n) => (n % 2 === 0 ? 'even' : 'odd'));
  assert.deepEqual([...groups.entries()], [['odd', [1, 3]], ['even', [2, 4]]]);
  const fromSet = groupBy(new Set(['x', 'yy', 'z']), (s) => s.length);
  assert.deepEqual([...fromSet.entries()], [[1, ['x', 'z']], [2, ['yy']]]);
});

test('keys compare like Map keys', () => {
  const mixed = groupBy<string | number, string | number>([1, '1', 1], (v) => v);
  assert.equal(mixed.size, 2);
  assert.deepEqual(mixed.get(1), [1, 1]);
  assert.deepEqual(mixed.get('1'), ['1']);

  const nan = groupBy([Number.NaN, 0, Number.NaN], (v) => v);
  assert.equal(nan.size, 2);
  assert.equal(nan.get(Number.NaN)?.length, 2);

  const a = { team: 'a' };
  const b = { team: 'a' };
  const byObject = groupBy([{ owner: a }, { owner: b }, { owner: a }], (x) => x.owner);
  assert.equal(byObject.size, 2);
  assert.equal(byObject.get(a)?.length, 2);
});

test('keys that are special on plain objects are ordinary', () => {
  const groups = groupBy(['__proto__', 'constructor', '__proto__'], (s) => s);
  assert.deepEqual(groups.get('__proto__'), ['__proto__', '__proto__']);
  assert.deepEqual(groups.get('constructor'), ['constructor']);
  assert.equal(({} as Record<string, unknown>).constructor, Object);
});
