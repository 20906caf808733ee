import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdOut, normStats, rowNorms } from '../../../../app/datasets/stats.js';

test('norm statistics and zero vectors', () => {
  const s = normStats(rowNorms(new Float32Array([3, 4, 0, 0, 1, 0]), 2));
  assert.deepEqual(s, { norm_min: 0, norm_mean: 2, norm_max: 5, zero_vectors: 1 });
  assert.deepEqual(normStats(rowNorms(new Float32Array(0), 4)), { norm_min: 0, norm_mean: 0, norm_max: 0, zero_vectors: 0 });
});

test('a held-out query set is the last rows, without copying, and never the whole base', () => {
  const data = Float32Array.from({ length: 10 }, (_, i) => i);
  const h = holdOut(data, 5, 2, 2);
  assert.deepEqual([h.n, h.nq], [3, 2]);
  assert.deepEqual(Array.from(h.queries), [6, 7, 8, 9]);
  assert.equal(h.base.buffer, data.buffer);
  assert.equal(holdOut(data, 5, 2, 99).n, 1);
});
