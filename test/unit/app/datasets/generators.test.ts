import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobsSet, normaliseRows, tutorialSet } from '../../../../app/datasets/generators.js';
import { firstNonFinite } from '../../../../app/datasets/vectors.js';

test('the tutorial set has its shape, range and column-0 shift, and is seeded', () => {
  const a = tutorialSet({ n: 2000, nq: 10 });
  assert.equal(a.base.length, 2000 * 64);
  assert.equal(a.queries.length, 10 * 64);
  for (let j = 1; j < 64; j++) assert.ok(a.base[j] >= 0 && a.base[j] < 1);
  assert.ok(a.base[1999 * 64] >= 1.999 && a.base[1999 * 64] < 2.999, 'row i column 0 is shifted by i/1000');
  assert.deepEqual(tutorialSet({ n: 2000, nq: 10 }).base.subarray(0, 100), a.base.subarray(0, 100));
  assert.notDeepEqual(tutorialSet({ n: 2000, nq: 10, seed: 7 }).base.subarray(0, 100), a.base.subarray(0, 100));
});

test('blobs are labelled and points sit nearer their own centre than others on average', () => {
  const b = blobsSet({ n: 3000, dim: 8, clusters: 3, spread: 0.5 });
  assert.equal(b.labels!.length, 3000);
  const counts = [0, 0, 0];
  for (const l of b.labels!) counts[l]++;
  assert.ok(counts.every((c) => c > 700));
  const mean = (c: number, j: number) => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < 3000; i++) if (b.labels![i] === c) (s += b.base[i * 8 + j]), n++;
    return s / n;
  };
  let within = 0;
  for (let j = 0; j < 8; j++) within += Math.abs(mean(0, j) - mean(1, j));
  assert.ok(within > 1, 'cluster means differ');
});

test('normaliseRows gives unit rows and leaves zero rows alone; firstNonFinite finds NaN', () => {
  const x = new Float32Array([3, 4, 0, 0]);
  normaliseRows(x, 2);
  assert.deepEqual(Array.from(x), [0.6000000238418579, 0.800000011920929, 0, 0]);
  assert.equal(firstNonFinite([1, 2, Number.NaN]), 2);
  assert.equal(firstNonFinite([1, 2]), -1);
});
