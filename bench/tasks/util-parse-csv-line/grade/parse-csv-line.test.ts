import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseCsvLine } from '../src/lib/csv.ts';

test('plain fields', () => {
  assert.deepEqual(parseCsvLine('a,b,c'), ['a', 'b', 'c']);
});

test('empty fields, including leading and trailing ones', () => {
  assert.deepEqual(parseCsvLine('a,,b'), ['a', '', 'b']);
  assert.deepEqual(parseCsvLine(',a,'), ['', 'a', '']);
  assert.deepEqual(parseCsvLine(',,'), ['', '', '']);
});

test('an empty line is one empty field', () => {
  assert.deepEqual(parseCsvLine(''), ['']);
});

test('quoted fields may contain the delimiter and line breaks', () => {
  assert.deepEqual(parseCsvLine('"Fix login, signup",high'), ['Fix login, signup', 'high']);
  assert.deepEqual(parseCsvLine('1,"two\nlines",3'), ['1', 'two\nlines', '3']);
});

test('doubled quotes inside a quoted field stand for one quote', () => {
  assert.deepEqual(parseCsvLine('"He said ""no""",x'), ['He said "no"', 'x']);
  assert.deepEqual(parseCsvLine('""""'), ['"']);
  assert.deepEqual(parseCsvLine('"",""'), ['', '']);
});

test('quotes inside an unquoted field are kept', () => {
  assert.deepEqual(parseCsvLine('5" screen,ok'), ['5" screen', 'ok']);
});

test('whitespace around fields is kept', () => {
  assert.deepEqual(parseCsvLine(' a , b '), [' a ', ' b ']);
});

test('another delimiter', () => {
  assert.deepEqual(parseCsvLine('a;"b;c";d', ';'), ['a', 'b;c', 'd']);
  assert.deepEqual(parseCsvLine('x\ty,z\t"q"', '\t'), ['x', 'y,z', 'q']);
});

test('unicode is untouched', () => {
  assert.deepEqual(parseCsvLine('Café,"naïve, 😀",日本'), ['Café', 'naïve, 😀', '日本']);
});

test('an unterminated quoted field throws a SyntaxError', () => {
  assert.throws(() => parseCsvLine('a,"b,c'), SyntaxError);
  assert.throws(() => parseCsvLine('"abc""'), SyntaxError);
});
