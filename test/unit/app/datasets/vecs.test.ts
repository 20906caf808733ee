import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VecsReader } from '../../../../app/datasets/readers/vecs.js';
import { feed, throwsCode } from './helpers.js';

/** TEXMEX layout: int32 dimension, then the elements, for each vector. */
function vecs(rows: number[][], kind: 'fvecs' | 'ivecs' | 'bvecs', dims?: number[]): Uint8Array {
  const size = kind === 'bvecs' ? 1 : 4;
  const out = new Uint8Array(rows.reduce((s, r) => s + 4 + r.length * size, 0));
  const v = new DataView(out.buffer);
  let p = 0;
  rows.forEach((r, i) => {
    v.setInt32(p, dims?.[i] ?? r.length, true);
    p += 4;
    for (const x of r) {
      if (kind === 'fvecs') v.setFloat32(p, x, true);
      else if (kind === 'ivecs') v.setInt32(p, x, true);
      else v.setUint8(p, x);
      p += size;
    }
  });
  return out;
}

const rows = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
  [10, 11, 12],
];

test('fvecs, ivecs and bvecs load, whatever the chunk size', () => {
  for (const kind of ['fvecs', 'ivecs', 'bvecs'] as const) {
    const file = vecs(rows, kind);
    for (const size of [1, 5, 16, file.length]) {
      for (const known of [undefined, file.length]) {
        const t = feed(new VecsReader(kind, known), file, size);
        assert.equal(t.n, 4);
        assert.equal(t.dim, 3);
        assert.deepEqual([...t.base], rows.flat(), `${kind} chunk ${size}`);
      }
    }
  }
  assert.equal(feed(new VecsReader('fvecs'), vecs(rows, 'fvecs')).dtype, 'float32');
  assert.equal(feed(new VecsReader('ivecs'), vecs(rows, 'ivecs')).dtype, 'int32');
  assert.equal(feed(new VecsReader('bvecs'), vecs(rows, 'bvecs')).dtype, 'uint8');
});

test('a vector whose dimension differs from the first: BAD_DIMENSION with row and byte', () => {
  const file = vecs([[1, 2, 3], [4, 5, 6], [7, 8]], 'fvecs');
  throwsCode(() => feed(new VecsReader('fvecs', file.length), file, 7), 'BAD_DIMENSION', /^row 2 \(byte offset 32\): vector declares dimension 2/);
});

test('a nonsense first dimension says the file is not in this format', () => {
  const file = new TextEncoder().encode('\x93NUMPY this is really an npy');
  throwsCode(() => feed(new VecsReader('fvecs'), file), 'BAD_DIMENSION', /^row 0 .*not a \.fvecs file/);
});

test('truncated: FILE_TRUNCATED with row and byte', () => {
  const file = vecs(rows, 'fvecs');
  throwsCode(() => feed(new VecsReader('fvecs', file.length - 5), file.subarray(0, file.length - 5), 8), 'FILE_TRUNCATED', /row 3 \(byte offset 59\)/);
  throwsCode(() => feed(new VecsReader('ivecs'), file.subarray(0, 2)), 'FILE_TRUNCATED', /row 0/);
});

test('empty file: EMPTY_FILE', () => {
  throwsCode(() => new VecsReader('bvecs').end(), 'EMPTY_FILE');
});

test('NaN in an fvecs vector: NON_FINITE with row and column', () => {
  const file = vecs([[1, 2], [3, NaN], [5, 6]], 'fvecs');
  throwsCode(() => feed(new VecsReader('fvecs'), file, 3), 'NON_FINITE', /row 1, column 1/);
  throwsCode(() => feed(new VecsReader('fvecs'), file), 'NON_FINITE', /row 1, column 1/);
});
