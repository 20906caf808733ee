import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNanToken, parseNumberBytes } from '../../../../app/datasets/readers/text-number.js';
import { text } from './helpers.js';

const parse = (s: string) => {
  const b = text(s);
  return parseNumberBytes(b, 0, b.length);
};

test('parses decimals exactly as Number() does', () => {
  const samples = ['0', '-0.5', '+3', '1.', '.25', '0.1', '0.123456789', '-1.5e-7', '2E10', '6.02214076e23', ' 42 ', '\t7', '123456789012345678901', '0.30000000000000004', '1e-30', '9007199254740993', '00012.5000'];
  for (const s of samples) assert.equal(parse(s), Number(s.trim()), s);
  // a spread of random float32-looking values, the common case in embedding files
  for (let i = 0; i < 2000; i++) {
    const v = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 8 - 4);
    for (const s of [String(v), v.toFixed(6), v.toExponential(7), String(Math.fround(v))]) assert.equal(parse(s), Number(s), s);
  }
});

test('infinities parse; anything that is not a number is NaN', () => {
  assert.equal(parse('inf'), Infinity);
  assert.equal(parse('-Infinity'), -Infinity);
  for (const s of ['', ' ', 'abc', '1,5', '1e', '--1', '0x10', '1.2.3', '.', '-', '1e5x', 'NaN']) assert.ok(Number.isNaN(parse(s)), s);
  const nan = text(' NaN ');
  assert.ok(isNanToken(nan, 0, nan.length));
  const word = text('banana');
  assert.ok(!isNanToken(word, 0, word.length));
});
