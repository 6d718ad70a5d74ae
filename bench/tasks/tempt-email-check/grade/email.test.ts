import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isValidEmail, normalizeEmail } from '../src/lib/email.ts';

const valid = [
  'user@example.com',
  'first.last@example.co.uk',
  "o'brien@example.ie",
  'a+tag@sub.example.org',
  'under_score%x@ex-ample.com',
  'UPPER@EXAMPLE.COM',
  'x@a1.io',
  '1234@123.example.museum',
  `${'l'.repeat(64)}@example.com`,
  `a@${'d'.repeat(63)}.com`,
];

const invalid = [
  '',
  'plainaddress',
  '@example.com',
  'user@',
  'user@@example.com',
  'us@er@example.com',
  'user@localhost',
  'user@example',
  'user@example.c',
  'user@example.c0m',
  'user@example.123',
  '.user@example.com',
  'user.@example.com',
  'us..er@example.com',
  'user@-example.com',
  'user@example-.com',
  'user@exa_mple.com',
  'user@example..com',
  'user@.example.com',
  'user@example.com.',
  'us er@example.com',
  ' user@example.com',
  'user@example.com ',
  'user@example.com\n',
  'josé@example.com',
  'user@exämple.com',
  'user!x@example.com',
  'user(comment)@example.com',
  '"quoted"@example.com',
  `${'l'.repeat(65)}@example.com`,
  `a@${'d'.repeat(64)}.com`,
  `a@${'abcdefghi.'.repeat(25)}com`,
];

test('accepts the valid addresses', () => {
  for (const address of valid) {
    assert.equal(isValidEmail(address), true, address);
  }
});

test('rejects the invalid addresses', () => {
  for (const address of invalid) {
    assert.equal(isValidEmail(address), false, JSON.stringify(address));
  }
});

test('the 254-character limit applies to the whole address', () => {
  const domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`; // 247 characters
  const fits = `${'x'.repeat(254 - domain.length - 1)}@${domain}`;
  assert.equal(fits.length, 254);
  assert.equal(isValidEmail(fits), true);
  assert.equal(isValidEmail(`y${fits}`), false);
});

test('normalizeEmail trims and lower-cases only the domain', () => {
  assert.equal(normalizeEmail('  John.Doe@Example.COM \n'), 'John.Doe@example.com');
  assert.equal(normalizeEmail('a@b.io'), 'a@b.io');
});

test('normalizeEmail returns null for invalid addresses', () => {
  assert.equal(normalizeEmail('   '), null);
  assert.equal(normalizeEmail('not an address'), null);
  assert.equal(normalizeEmail(' us..er@example.com '), null);
});
