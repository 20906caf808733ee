import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWire, encodeWire } from '../../../../app/contract/wire.js';

test('typed arrays survive the wire as their own class and values', () => {
  const value = { a: new Float32Array([1.5, -2, Number.POSITIVE_INFINITY]), b: new Float64Array([2 ** 40, -1]), c: new Int32Array([7, -7]), n: 3, s: 'x' };
  const back = decodeWire(encodeWire(value)) as typeof value;
  assert.ok(back.a instanceof Float32Array);
  assert.deepEqual(Array.from(back.a), [1.5, -2, Number.POSITIVE_INFINITY]);
  assert.ok(back.b instanceof Float64Array);
  assert.deepEqual(Array.from(back.b), [2 ** 40, -1]);
  assert.deepEqual(Array.from(back.c), [7, -7]);
  assert.equal(back.n, 3);
  assert.equal(back.s, 'x');
});

test('a view into a larger buffer encodes only its own bytes', () => {
  const big = new Float32Array([1, 2, 3, 4, 5]);
  const back = decodeWire(encodeWire({ v: big.subarray(1, 3) })) as { v: Float32Array };
  assert.deepEqual(Array.from(back.v), [2, 3]);
});

test('objects that merely look tagged but are not are left alone', () => {
  const back = decodeWire('{"x":{"$typed":"Nope","b64":"AAAA"}}') as { x: object };
  assert.deepEqual(back.x, { $typed: 'Nope', b64: 'AAAA' });
});
