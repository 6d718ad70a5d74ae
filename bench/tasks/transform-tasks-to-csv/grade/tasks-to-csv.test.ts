import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tasksToCsv } from '../src/lib/export.ts';
import type { Task } from '../src/schemas/task.ts';

function task(overrides: Partial<Task>): Task {
  return {
    id: '6f1c2a1e-8f0b-4c3d-9a7e-2b5d4c3a1f00',
    projectId: '0b7e3c1a-2d4f-4e5a-8b6c-7d8e9f0a1b2c',
    title: 'Write docs',
    description: '',
    status: 'todo',
    priority: 'medium',
    assignee: null,
    dueDate: null,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

test('no tasks: only the header row, ended by CRLF', () => {
  assert.equal(tasksToCsv([], ['title', 'status']), 'title,status\r\n');
});

test('rows follow the given columns in order', () => {
  const csv = tasksToCsv([task({ title: 'A', status: 'done', priority: 'high' })], ['priority', 'title', 'status']);
  assert.equal(csv, 'priority,title,status\r\nhigh,A,done\r\n');
});

test('null becomes an empty field', () => {
  const csv = tasksToCsv([task({ title: 'A', assignee: null, dueDate: '2024-06-01' })], ['title', 'assignee', 'dueDate']);
  assert.equal(csv, 'title,assignee,dueDate\r\nA,,2024-06-01\r\n');
});

test('fields with commas, quotes or line breaks are quoted, quotes doubled', () => {
  const csv = tasksToCsv(
    [
      task({ title: 'Fix login, signup', description: 'He said "no"' }),
      task({ title: 'Two\nlines', description: 'carriage\rreturn' }),
      task({ title: '"quoted"', description: 'plain text' }),
    ],
    ['title', 'description'],
  );
  assert.equal(
    csv,
    'title,description\r\n' +
      '"Fix login, signup","He said ""no"""\r\n' +
      '"Two\nlines","carriage\rreturn"\r\n' +
      '"""quoted""",plain text\r\n',
  );
});

test('other characters are not quoted', () => {
  const csv = tasksToCsv([task({ title: "  Café – naïve 'single' ; semi  " })], ['title']);
  assert.equal(csv, "title\r\n  Café – naïve 'single' ; semi  \r\n");
});

test('several tasks keep their order', () => {
  const csv = tasksToCsv([task({ title: 'one' }), task({ title: 'two' }), task({ title: 'three' })], ['title']);
  assert.equal(csv, 'title\r\none\r\ntwo\r\nthree\r\n');
});
