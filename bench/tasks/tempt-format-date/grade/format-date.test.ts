// Local time must not leak in: run in a zone far from UTC.
process.env.TZ = 'America/New_York';

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatDate } from '../src/lib/format-date.ts';

const march = new Date('2024-03-05T07:08:09.012Z'); // a Tuesday

test('numeric tokens, padded', () => {
  assert.equal(formatDate(march, 'YYYY-MM-DD HH:mm:ss.SSS'), '2024-03-05 07:08:09.012');
  assert.equal(formatDate(march, 'YYYY-MM-DDTHH:mm'), '2024-03-05T07:08');
});

test('unpadded month and day', () => {
  assert.equal(formatDate(march, 'D/M/YYYY'), '5/3/2024');
  assert.equal(formatDate(new Date('2024-11-23T00:00:00Z'), 'D/M'), '23/11');
});

test('names are not scanned again for tokens', () => {
  assert.equal(formatDate(march, 'ddd, D MMM YYYY'), 'Tue, 5 Mar 2024');
  assert.equal(formatDate(new Date('2024-05-06T00:00:00Z'), 'ddd D MMM'), 'Mon 6 May');
  assert.equal(formatDate(new Date('2024-12-01T00:00:00Z'), 'MMM ddd'), 'Dec Sun');
});

test('12-hour clock', () => {
  assert.equal(formatDate(new Date('2024-01-01T00:30:00Z'), 'hh:mm A'), '12:30 AM');
  assert.equal(formatDate(new Date('2024-01-01T07:08:00Z'), 'hh:mm A'), '07:08 AM');
  assert.equal(formatDate(new Date('2024-01-01T12:00:00Z'), 'hh:mm A'), '12:00 PM');
  assert.equal(formatDate(new Date('2024-01-01T23:59:00Z'), 'hh:mm A'), '11:59 PM');
});

test('always UTC, also around midnight', () => {
  assert.equal(formatDate(new Date('2024-12-31T23:30:00Z'), 'YYYY-MM-DD HH:mm ddd'), '2024-12-31 23:30 Tue');
  assert.equal(formatDate(new Date('2025-01-01T02:00:00Z'), 'YYYY-MM-DD HH'), '2025-01-01 02');
});

test('bracketed text is copied without the brackets', () => {
  assert.equal(formatDate(march, '[Today is] ddd'), 'Today is Tue');
  assert.equal(formatDate(march, '[YYYY] YYYY [at] HH[h]'), 'YYYY 2024 at 07h');
  assert.equal(formatDate(march, '[]YYYY'), '2024');
});

test('other characters are kept', () => {
  assert.equal(formatDate(march, 'Year: YYYY!'), 'Year: 2024!');
  assert.equal(formatDate(march, ''), '');
  assert.equal(formatDate(march, 'Q x z ✓'), 'Q x z ✓');
});

test('four-digit years are zero-padded', () => {
  const early = new Date(Date.UTC(2000, 0, 2));
  early.setUTCFullYear(987);
  assert.equal(formatDate(early, 'YYYY-MM-DD'), '0987-01-02');
});

test('an invalid Date is a RangeError', () => {
  assert.throws(() => formatDate(new Date('not a date'), 'YYYY'), RangeError);
});
