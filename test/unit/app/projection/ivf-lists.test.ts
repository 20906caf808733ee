import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactDistance } from '../../../../app/eval/recall.js';
import { graphRecall, groupByList, moveCentroids, probesFor } from '../../../../app/projection/ivf-lists.js';

test('points are grouped by list in row order, and k-means moves each centroid to its points’ mean', () => {
  const assign = Int32Array.from([2, 0, 2, 1, 0, 2]);
  const { start, members } = groupByList(assign, 4);
  assert.deepEqual([...start], [0, 2, 3, 6, 6]);
  assert.deepEqual([...members], [1, 4, 3, 0, 2, 5]);

  const x = Float32Array.from([0, 0, 2, 2, 10, 10, 4, 4]);
  const centroids = Float32Array.from([1, 1, 9, 9, 50, 50]);
  moveCentroids(x, 2, Int32Array.from([0, 0, 1, 0]), centroids);
  assert.deepEqual([...centroids], [2, 2, 10, 10, 50, 50], 'a list without points keeps its centroid');
});

test('the lists searched are the fewest that hold the target share of the true neighbours', () => {
  // three lists in a row: 0 - 1 - 2; each list's nearest lists in order
  const assign = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const order = Int32Array.from([0, 1, 2, 1, 0, 2, 2, 1, 0]);
  const rows = Int32Array.from([0, 2]);
  // row 0 (list 0): neighbours in lists 0, 0, 1; row 2 (list 1): in lists 1, 2, 0
  const truth = Int32Array.from([0, 1, 2, 2, 4, 1]);
  const args = { rows, truth, k: 3, assign, order, width: 3 };
  assert.equal(probesFor({ ...args, target: 0.5 }), 1);
  assert.equal(probesFor({ ...args, target: 0.8 }), 2);
  assert.equal(probesFor({ ...args, target: 1 }), 3);
  assert.equal(probesFor({ ...args, width: 2, order: Int32Array.from([0, 1, 1, 0, 2, 1]), target: 1 }), null, 'beyond what the order holds');
});

test('recall counts the true neighbours a graph lists for the sampled rows, ties as found', () => {
  // four points on a line at 0, 1, 10, 11; the graph lists each point and one other
  const xs = Float32Array.from([0, 1, 10, 11]);
  const ids = Int32Array.from([0, 1, 1, 0, 2, 3, 3, 1]);
  const truth = Int32Array.from([0, 1, 2, 3, 3, 2]);
  const sampled = (rows: number[]) => exactDistance(xs, Float32Array.from(rows, (r) => xs[r]), 1, 'l2');
  assert.equal(graphRecall(ids, 2, Int32Array.from([0, 2]), truth.subarray(0, 4), sampled([0, 2])), 1);
  assert.equal(graphRecall(ids, 2, Int32Array.from([0, 3]), Int32Array.from([0, 1, 3, 2]), sampled([0, 3])), 0.75);
  // point 1 at 0 and 2 alike from 1: the graph's pick of the other counts
  const tied = Float32Array.from([0, 1, 2]);
  assert.equal(graphRecall(Int32Array.from([0, 1, 1, 2, 2, 1]), 2, Int32Array.from([1]), Int32Array.from([1, 0]), exactDistance(tied, Float32Array.from([1]), 1, 'l2')), 1);
});
