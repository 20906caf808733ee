import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hnswStats } from '../../../../app/indexes/hnsw-graph.js';
import { ivfStats } from '../../../../app/indexes/ivf-lists.js';

describe('IVF list statistics', () => {
  it('counts empty lists and computes faiss\'s imbalance factor', () => {
    const s = ivfStats(Int32Array.from([10, 10, 10, 10]));
    assert.equal(s.imbalance, 1);
    assert.equal(s.empty, 0);
    const skewed = ivfStats(Int32Array.from([40, 0, 0, 0]));
    assert.equal(skewed.imbalance, 4);
    assert.equal(skewed.empty, 3);
    assert.deepEqual([skewed.min, skewed.max, skewed.mean], [0, 40, 10]);
    assert.equal(skewed.histogram.counts.reduce((a, b) => a + b, 0), 4);
  });
});

/** Bytes as faiss's write_index lays out an IndexHNSWFlat (storage left off: it is not read). */
function serialisedHnsw(levels: number[], links: number[][], perLevel: number[]): Uint8Array {
  const parts: number[] = [];
  const bytes = (view: ArrayBufferView) => parts.push(...new Uint8Array(view.buffer));
  const u64 = (v: number) => bytes(BigUint64Array.of(BigInt(v)));
  const i32s = (xs: number[]) => {
    u64(xs.length);
    bytes(Int32Array.from(xs));
  };
  parts.push(...Array.from('IHNf', (c) => c.charCodeAt(0)));
  bytes(Int32Array.of(4)); // d
  u64(levels.length); // ntotal
  u64(1 << 20);
  u64(1 << 20);
  parts.push(1); // is_trained
  bytes(Int32Array.of(1)); // L2
  u64(1); // assign_probas
  bytes(Float64Array.of(1));
  const cum = perLevel.reduce<number[]>((acc, n) => [...acc, acc[acc.length - 1] + n], [0]);
  i32s(cum);
  i32s(levels);
  const offsets: number[] = [0];
  const neighbours: number[] = [];
  levels.forEach((lv, i) => {
    const slots = cum[lv];
    const row = new Array<number>(slots).fill(-1);
    links[i].forEach((n, j) => (row[j] = n));
    neighbours.push(...row);
    offsets.push(offsets[offsets.length - 1] + slots);
  });
  u64(offsets.length);
  for (const o of offsets) u64(o);
  i32s(neighbours);
  return Uint8Array.from(parts);
}

describe('HNSW graph from the serialised index', () => {
  it('counts nodes per top level and links on level 0, skipping empty slots', () => {
    // node 0 is on levels 0 and 1; nodes 1 and 2 on level 0 only; level 0 has 4 slots, level 1 has 2
    const buf = serialisedHnsw([2, 1, 1], [[1, 2], [0], [0, 1, -1]], [4, 2]);
    const s = hnswStats(buf)!;
    assert.deepEqual(s.levels, [2, 1]);
    assert.equal(s.max_degree, 2);
    assert.equal(s.mean_degree, 5 / 3);
    assert.deepEqual(s.degree, { start: 1, width: 1, counts: [1, 2] });
  });

  it('answers null for any other index', () => {
    assert.equal(hnswStats(Uint8Array.from([73, 120, 70, 108, 0, 0, 0, 0])), null);
  });
});
