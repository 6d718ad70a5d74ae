import assert from 'node:assert/strict';
import { test } from 'node:test';

import { migrateTasks, type TaskRecordV1, type TaskRecordV2 } from '../src/scripts/migrate-tasks.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const v1Sample: TaskRecordV1[] = [
  { id: 1, title: '  Ship the beta  ', done: true, inProgress: true, priority: 1, tags: 'Release, beta', due: '31/12/2024', owner: 'ana@example.com' },
  { id: 2, title: 'Write docs', done: false, inProgress: true, priority: 3, tags: '', due: '', owner: null },
  { id: 3, title: 'Triage', done: false, tags: ' Bug, ui,,bug ,UI , ', due: '01/02/2025' },
  { id: 4, title: 'Plan', done: false, inProgress: false, priority: 2, tags: 'x', due: '29/02/2024', owner: '   ' },
];

test('converts the sample v1 records', () => {
  assert.deepEqual(migrateTasks(v1Sample), [
    { schemaVersion: 2, id: 'legacy-1', title: 'Ship the beta', status: 'done', priority: 'high', labels: ['release', 'beta'], dueDate: '2024-12-31', assignee: 'ana@example.com' },
    { schemaVersion: 2, id: 'legacy-2', title: 'Write docs', status: 'in_progress', priority: 'low', labels: [], dueDate: null, assignee: null },
    { schemaVersion: 2, id: 'legacy-3', title: 'Triage', status: 'todo', priority: 'medium', labels: ['bug', 'ui'], dueDate: '2025-02-01', assignee: null },
    { schemaVersion: 2, id: 'legacy-4', title: 'Plan', status: 'todo', priority: 'medium', labels: ['x'], dueDate: '2024-02-29', assignee: null },
  ]);
});

test('an empty list stays empty', () => {
  assert.deepEqual(migrateTasks([]), []);
});

test('v2 records are kept as they are, in place among v1 records', () => {
  const v2: TaskRecordV2 = { schemaVersion: 2, id: 'abc', title: ' untouched ', status: 'todo', priority: 'low', labels: ['Mixed Case'], dueDate: null, assignee: '' };
  const result = migrateTasks([v1Sample[1], v2, v1Sample[2]]);
  assert.deepEqual(result[1], v2);
  assert.deepEqual(result.map((r) => r.id), ['legacy-2', 'abc', 'legacy-3']);
});

test('migrating twice changes nothing', () => {
  const once = migrateTasks(v1Sample);
  assert.deepEqual(migrateTasks(once), once);
});

test('the input is not mutated', () => {
  const input = deepFreeze(structuredClone(v1Sample));
  assert.doesNotThrow(() => migrateTasks(input));
  assert.deepEqual(input, v1Sample);
});

test('the day comes first in v1 due dates', () => {
  const [record] = migrateTasks([{ id: 9, title: 't', done: false, tags: '', due: '03/04/2024' }]);
  assert.equal(record.dueDate, '2024-04-03');
});

test('impossible due dates throw with the record id', () => {
  for (const [id, due] of [
    [71, '31/04/2024'],
    [72, '29/02/2023'],
    [73, '00/01/2024'],
    [74, '12/13/2024'],
    [75, '2024-01-05'],
    [76, '1/2/2024'],
  ] as const) {
    assert.throws(() => migrateTasks([{ id, title: 't', done: false, tags: '', due }]), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, new RegExp(`\\b${id}\\b`));
      return true;
    }, due);
  }
});

test('leap years follow the Gregorian rules', () => {
  const dates = migrateTasks([
    { id: 1, title: 't', done: false, tags: '', due: '29/02/2000' },
    { id: 2, title: 't', done: false, tags: '', due: '29/02/2028' },
  ]).map((r) => r.dueDate);
  assert.deepEqual(dates, ['2000-02-29', '2028-02-29']);
  assert.throws(() => migrateTasks([{ id: 3, title: 't', done: false, tags: '', due: '29/02/1900' }]), /\b3\b/);
});
