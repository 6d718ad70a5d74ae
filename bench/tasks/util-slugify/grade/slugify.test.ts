import assert from 'node:assert/strict';
import { test } from 'node:test';

import { slugify } from '../src/lib/slug.ts';

test('lowercases and hyphenates', () => {
  assert.equal(slugify('Fix the Login Bug'), 'fix-the-login-bug');
});

test('collapses runs of other characters and trims the ends', () => {
  assert.equal(slugify('  --Hello,   World!!  '), 'hello-world');
});

test('removes accents', () => {
  assert.equal(slugify('Café Crème'), 'cafe-creme');
});

test('keeps digits', () => {
  assert.equal(slugify('Release 2.0 notes'), 'release-2-0-notes');
});
