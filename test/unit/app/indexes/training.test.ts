import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatherRows, trainingRows, trainingSize, TRAIN_CAP } from '../../../../app/indexes/training.js';

test('training size follows faiss: 256 points per centroid at most, the data at most', () => {
  assert.equal(trainingSize(100_000, 'IVF100,Flat'), 25_600);
  assert.equal(trainingSize(10_000, 'IVF100,Flat'), 10_000);
  assert.equal(trainingSize(1_000_000, 'PQ16'), 65_536);
  assert.equal(trainingSize(1_000_000, 'IVF4096,PQ16x4'), 1_000_000 > 4096 * 256 ? 4096 * 256 : 1_000_000);
  assert.equal(trainingSize(5_000_000, 'LSH'), TRAIN_CAP);
  assert.equal(trainingSize(100_000, 'IVF100,Flat', 5000), 5000);
  assert.equal(trainingSize(100, 'IVF10,Flat', 5000), 100);
});

test('the sample is seeded, distinct, sorted and in range', () => {
  const a = trainingRows(1000, 100, 7)!;
  assert.equal(a.length, 100);
  assert.equal(new Set(a).size, 100);
  for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  assert.ok(a[0] >= 0 && a[99] < 1000);
  assert.deepEqual(trainingRows(1000, 100, 7), a);
  assert.notDeepEqual(trainingRows(1000, 100, 8), a);
  assert.equal(trainingRows(10, 10, 1), null);
});

test('gathering copies the sampled rows, or views the first ones', () => {
  const data = Float32Array.from({ length: 12 }, (_, i) => i);
  assert.deepEqual(Array.from(gatherRows(data, 3, Int32Array.from([1, 3]), 2)), [3, 4, 5, 9, 10, 11]);
  assert.deepEqual(Array.from(gatherRows(data, 3, null, 2)), [0, 1, 2, 3, 4, 5]);
});
