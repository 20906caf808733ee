import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureDir, load } from './fixtures.js';
import { writeParquet } from '../../unit/app/datasets/parquet-fixtures.js';

const fx = fixtureDir('binary');
after(() => fx.remove());

/** TEXMEX layout: int32 dimension, then the elements. */
function vecs(rows: number[][], write: (v: DataView, at: number, x: number) => void, size: number): Uint8Array {
  const out = new Uint8Array(rows.length * (4 + rows[0].length * size));
  const v = new DataView(out.buffer);
  let p = 0;
  for (const r of rows) {
    v.setInt32(p, r.length, true);
    p += 4;
    for (const x of r) {
      write(v, p, x);
      p += size;
    }
  }
  return out;
}

const rows = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 16 }, (_, j) => (i * 16 + j) % 251));

test('fvecs, ivecs and bvecs (SIFT layout)', async () => {
  const f = await load(fx.file('base.fvecs', vecs(rows, (v, p, x) => v.setFloat32(p, x / 2, true), 4)));
  assert.equal(f.n, 1000);
  assert.equal(f.dim, 16);
  assert.equal(f.dtype, 'float32');
  assert.equal(f.base[16 * 999 + 15], rows[999][15] / 2);
  const i = await load(fx.file('gt.ivecs', vecs(rows, (v, p, x) => v.setInt32(p, -x, true), 4)));
  assert.equal(i.base[17], -rows[1][1]);
  const b = await load(fx.file('base.bvecs', vecs(rows, (v, p, x) => v.setUint8(p, x), 1)));
  assert.equal(b.dtype, 'uint8');
  assert.deepEqual([...b.base.subarray(0, 16)], rows[0]);
});

test('parquet: list<float> embeddings with metadata columns, several row groups', async () => {
  const n = 500;
  const embedding = Array.from({ length: n }, (_, i) => [i, i / 2, -i, 1]);
  const file = writeParquet(
    [
      { name: 'text', type: 'STRING', data: embedding.map((_, i) => `sentence ${i}`) },
      { name: 'embedding', list: 'FLOAT', data: embedding },
      { name: 'id', type: 'INT64', data: embedding.map((_, i) => BigInt(i * 10)) },
    ],
    128,
  );
  const r = await load(fx.file('sentences.parquet', new Uint8Array(file)));
  assert.equal(r.n, n);
  assert.equal(r.dim, 4);
  assert.deepEqual([...r.base.subarray(4 * 499)], [499, 249.5, -499, 1]);
  assert.deepEqual(r.metadata?.map((m) => [m.name, m.type, m.values[3]]), [
    ['text', 'string', 'sentence 3'],
    ['id', 'number', 30],
  ]);
  assert.ok(r.progress.length >= 4, 'progress per row group');
});
