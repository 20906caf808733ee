import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NpyReader } from '../../../../app/datasets/readers/npy.js';
import { halfToFloat } from '../../../../app/datasets/readers/element-types.js';
import { bytesOf, feed, npyBytes, text, throwsCode } from './helpers.js';

const grid = (n: number, d: number) => Float32Array.from({ length: n * d }, (_, i) => i * 0.5 - 3);

test('float32 C-order loads exactly, whatever the chunk size', () => {
  const data = grid(7, 5);
  const file = npyBytes('<f4', [7, 5], bytesOf(data));
  for (const size of [1, 3, 4, 64, 65, file.length]) {
    const t = feed(new NpyReader(), file, size);
    assert.equal(t.n, 7);
    assert.equal(t.dim, 5);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.base, data, `chunk size ${size}`);
  }
});

test('float64, int8, uint8, int32 and big-endian float32 are converted to float32', () => {
  const values = [0, 1, -2, 3, 100, -100];
  const cases: [string, string, Uint8Array][] = [
    ['<f8', 'float64', bytesOf(Float64Array.from(values))],
    ['|i1', 'int8', bytesOf(Int8Array.from(values))],
    ['|u1', 'uint8', bytesOf(Uint8Array.from(values.map((v) => v & 0xff)))],
    ['<i4', 'int32', bytesOf(Int32Array.from(values))],
  ];
  const be = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => be.setFloat32(i * 4, v, false));
  cases.push(['>f4', 'float32', new Uint8Array(be.buffer)]);
  for (const [descr, dtype, data] of cases) {
    const t = feed(new NpyReader(), npyBytes(descr, [2, 3], data), 5);
    assert.equal(t.dtype, dtype);
    const expected = descr === '|u1' ? values.map((v) => v & 0xff) : values;
    assert.deepEqual([...t.base], expected, descr);
  }
});

test('float16 is decoded, including subnormals and signs', () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7bff), 65504);
  const halves = Uint16Array.from([0x3c00, 0x3800, 0xc000, 0x0000]); // 1, 0.5, -2, 0
  const t = feed(new NpyReader(), npyBytes('<f2', [2, 2], bytesOf(halves)), 3);
  assert.equal(t.dtype, 'float16');
  assert.deepEqual([...t.base], [1, 0.5, -2, 0]);
});

test('Fortran order is transposed into row-major rows', () => {
  // column-major storage of [[1,2,3],[4,5,6]]
  const t = feed(new NpyReader(), npyBytes('<f4', [2, 3], bytesOf(Float32Array.from([1, 4, 2, 5, 3, 6])), { fortran: true }), 7);
  assert.deepEqual([...t.base], [1, 2, 3, 4, 5, 6]);
  const d = feed(new NpyReader(), npyBytes('<f8', [2, 3], bytesOf(Float64Array.from([1, 4, 2, 5, 3, 6])), { fortran: true }), 5);
  assert.deepEqual([...d.base], [1, 2, 3, 4, 5, 6]);
});

test('a 1-D array of length d is one vector', () => {
  const t = feed(new NpyReader(), npyBytes('<f4', [4], bytesOf(Float32Array.from([1, 2, 3, 4]))));
  assert.equal(t.n, 1);
  assert.equal(t.dim, 4);
});

test('wrong magic: BAD_MAGIC at byte 0', () => {
  throwsCode(() => feed(new NpyReader(), text('PK\x03\x04 this is a zip, not npy')), 'BAD_MAGIC', /byte offset 0/);
});

test('truncated data: FILE_TRUNCATED naming the row and byte', () => {
  const file = npyBytes('<f4', [10, 4], bytesOf(grid(10, 4)));
  const cut = file.subarray(0, file.length - 20); // rows 0..8 minus part of row 8
  const err = throwsCode(() => feed(new NpyReader(), cut, 16), 'FILE_TRUNCATED', /row 8/);
  assert.match(err.message, /byte offset \d+/);
  throwsCode(() => feed(new NpyReader(), file.subarray(0, 30)), 'FILE_TRUNCATED', /header/);
  // same for the converting path
  const f8 = npyBytes('<f8', [3, 2], bytesOf(Float64Array.from([1, 2, 3, 4, 5, 6])));
  throwsCode(() => feed(new NpyReader(), f8.subarray(0, f8.length - 3)), 'FILE_TRUNCATED', /row 2/);
});

test('inconsistent size: bytes past the shape are BAD_FILE with the offset', () => {
  const file = npyBytes('<f4', [2, 2], bytesOf(Float32Array.from([1, 2, 3, 4, 5, 6])));
  throwsCode(() => feed(new NpyReader(), file), 'BAD_FILE', new RegExp(`^byte offset ${file.length - 8}: 8 bytes follow`));
});

test('object and structured arrays are refused with UNSUPPORTED_DTYPE', () => {
  throwsCode(() => feed(new NpyReader(), npyBytes('|O', [2, 2], new Uint8Array(32))), 'UNSUPPORTED_DTYPE', /^byte offset 10: object arrays/);
  throwsCode(
    () => feed(new NpyReader(), npyBytes('', [2], new Uint8Array(16), { rawDescr: "[('a', '<f4'), ('b', '<i4')]" })),
    'UNSUPPORTED_DTYPE',
    /structured/,
  );
  throwsCode(() => feed(new NpyReader(), npyBytes('<c8', [2, 2], new Uint8Array(32))), 'UNSUPPORTED_DTYPE', /"<c8"/);
});

test('a 3-D array is BAD_DIMENSION; no rows or no bytes is EMPTY_FILE', () => {
  throwsCode(() => feed(new NpyReader(), npyBytes('<f4', [2, 2, 2], new Uint8Array(32))), 'BAD_DIMENSION', /3-D/);
  throwsCode(() => feed(new NpyReader(), npyBytes('<f4', [0, 8], new Uint8Array(0))), 'EMPTY_FILE', /no rows/);
  throwsCode(() => new NpyReader().end(), 'EMPTY_FILE');
});

test('NaN and Inf are NON_FINITE with row and column, on both paths', () => {
  const data = grid(4, 3);
  data[2 * 3 + 1] = NaN;
  throwsCode(() => feed(new NpyReader(), npyBytes('<f4', [4, 3], bytesOf(data)), 10), 'NON_FINITE', /row 2, column 1/);
  const d = Float64Array.from(grid(4, 3));
  d[3 * 3 + 2] = -Infinity;
  throwsCode(() => feed(new NpyReader(), npyBytes('<f8', [4, 3], bytesOf(d))), 'NON_FINITE', /row 3, column 2/);
  const big = Float64Array.from([1, 2, 1e300, 4]); // finite in float64, not in float32
  throwsCode(() => feed(new NpyReader(), npyBytes('<f8', [2, 2], bytesOf(big))), 'NON_FINITE', /row 1, column 0/);
  const fortran = Float32Array.from([1, 2, 3, NaN, 5, 6]); // column 1 of row 1
  throwsCode(() => feed(new NpyReader(), npyBytes('<f4', [2, 3], bytesOf(fortran), { fortran: true })), 'NON_FINITE', /row 1, column 1/);
});
