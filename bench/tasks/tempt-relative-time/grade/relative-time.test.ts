import assert from 'node:assert/strict';
import { test } from 'node:test';

import { timeAgo } from '../src/lib/relative-time.ts';

const now = new Date('2024-06-15T12:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('under a second is now, either way', () => {
  assert.equal(timeAgo(at(0), now), 'now');
  assert.equal(timeAgo(at(-999), now), 'now');
  assert.equal(timeAgo(at(500), now), 'now');
});

test('seconds and minutes', () => {
  assert.equal(timeAgo(at(-30 * SECOND), now), '30 seconds ago');
  assert.equal(timeAgo(at(-59 * SECOND - 999), now), '59 seconds ago');
  assert.equal(timeAgo(at(-60 * SECOND), now), '1 minute ago');
  assert.equal(timeAgo(at(45 * SECOND), now), 'in 45 seconds');
  assert.equal(timeAgo(at(-59 * MINUTE), now), '59 minutes ago');
});

test('counts are truncated, not rounded', () => {
  assert.equal(timeAgo(at(-90 * MINUTE), now), '1 hour ago');
  assert.equal(timeAgo(at(-119 * MINUTE), now), '1 hour ago');
  assert.equal(timeAgo(at(-2 * HOUR), now), '2 hours ago');
  assert.equal(timeAgo(at(23 * HOUR + 59 * MINUTE), now), 'in 23 hours');
});

test('days use the words of numeric: auto', () => {
  assert.equal(timeAgo(at(36 * HOUR), now), 'tomorrow');
  assert.equal(timeAgo(at(-25 * HOUR), now), 'yesterday');
  assert.equal(timeAgo(at(-2 * DAY), now), '2 days ago');
  assert.equal(timeAgo(at(6 * DAY + 23 * HOUR), now), 'in 6 days');
});

test('weeks, months and years', () => {
  assert.equal(timeAgo(at(-8 * DAY), now), 'last week');
  assert.equal(timeAgo(at(-14 * DAY), now), '2 weeks ago');
  assert.equal(timeAgo(at(-29 * DAY), now), '4 weeks ago');
  assert.equal(timeAgo(at(-30 * DAY), now), 'last month');
  assert.equal(timeAgo(at(45 * DAY), now), 'next month');
  assert.equal(timeAgo(at(-364 * DAY), now), '12 months ago');
  assert.equal(timeAgo(at(-365 * DAY), now), 'last year');
  assert.equal(timeAgo(at(-3 * 365 * DAY - 100 * DAY), now), '3 years ago');
  assert.equal(timeAgo(at(2 * 365 * DAY), now), 'in 2 years');
});

test('now defaults to the current time', () => {
  assert.equal(timeAgo(new Date()), 'now');
  assert.equal(timeAgo(new Date(Date.now() - 3 * HOUR - 5 * SECOND)), '3 hours ago');
});
