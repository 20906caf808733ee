import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubness } from '../../../../app/eval/hubness.js';
import { neighbourhoodOverlap, sampleRows, trustworthiness } from '../../../../app/eval/neighbourhoods.js';
import { mulberry32 } from '../../../../app/random/mulberry32.js';

test('k-occurrence counts how often each point is listed by others, and its skew', () => {
  // point 0 is everyone's neighbour: a hub
  const ids = [1, 2, 0, 2, 0, 1, 0, 2];
  const h = hubness(ids, 4, 2, 2);
  assert.deepEqual([...h.counts], [3, 2, 3, 0]);
  assert.deepEqual(h.top, [{ id: 0, count: 3 }, { id: 2, count: 3 }]);
  assert.equal(h.orphans, 1);
  assert.ok(h.skewness < 0);
});

test('trustworthiness is 1 for a map that keeps every distance, lower for a scrambled one; overlap agrees', () => {
  const n = 200;
  const high = new Float32Array(n * 3);
  const random = mulberry32(4);
  for (let i = 0; i < high.length; i++) high[i] = i % 3 === 2 ? 0 : random();
  const same = new Float32Array(n * 2).map((_, i) => high[Math.floor(i / 2) * 3 + (i % 2)]);
  const scrambled = new Float32Array(n * 2).map(() => random());
  const rows = sampleRows(n, 50, mulberry32(1));
  assert.equal(rows.length, 50);
  assert.ok(Math.abs(trustworthiness({ high, highDim: 3, low: same, lowDim: 2, k: 5, rows }) - 1) < 1e-9);
  assert.ok(trustworthiness({ high, highDim: 3, low: scrambled, lowDim: 2, k: 5, rows }) < 0.7);
  assert.deepEqual([...neighbourhoodOverlap([1, 2, 0, 2], [1, 0, 0, 2], 2, 2)], [0.5, 1]);
});
