import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayHnswSearch, type HnswGraphArrays } from '../../../../app/explain/hnsw-replay.js';
import { heapPop, heapPush } from '../../../../app/explain/max-heap.js';

// Points on a line at x = node number; the query at x = 7.2. Level 1 holds nodes 0, 4, 8 linked
// in a chain; level 0 links each node to its two neighbours on the line.
function lineGraph(n: number): HnswGraphArrays {
  const upper = new Set([0, 4, 8]);
  const levels = Int32Array.from({ length: n }, (_, i) => (upper.has(i) ? 2 : 1));
  const cumNeighbors = Int32Array.of(0, 2, 4);
  const offsets = Float64Array.from({ length: n }, (_, i) => i * 4);
  const neighbors = new Int32Array(n * 4).fill(-1);
  for (let i = 0; i < n; i++) {
    const level0 = [i - 1, i + 1].filter((v) => v >= 0 && v < n);
    level0.forEach((v, j) => (neighbors[i * 4 + j] = v));
    if (upper.has(i)) [i - 4, i + 4].filter((v) => upper.has(v)).forEach((v, j) => (neighbors[i * 4 + 2 + j] = v));
  }
  return { levels, offsets, neighbors, cumNeighbors, entryPoint: 0, maxLevel: 1 };
}

const distances = (ids: Int32Array) => Float32Array.from(ids, (v) => (v - 7.2) ** 2);

test('the upper level walks greedily from the entry point towards the query', () => {
  const r = replayHnswSearch(lineGraph(10), { k: 3, efSearch: 8, checkRelativeDistance: true }, distances);
  assert.deepEqual(r.upper[0].path, [0, 4, 8]);
  assert.equal(r.upper[0].level, 1);
  assert.equal(r.entry.node, 0);
});

test('level 0 expands the nearest candidate first and ends on the k nearest', () => {
  const r = replayHnswSearch(lineGraph(10), { k: 3, efSearch: 8, checkRelativeDistance: true }, distances);
  assert.deepEqual(Array.from(r.labels), [7, 8, 6]);
  assert.equal(r.level0.expanded[0], 8, 'the walk ended on 8, so 8 is expanded first');
  assert.equal(r.level0.visited[0], 8);
  assert.equal(r.level0.visitedEnd.length, r.level0.expanded.length);
  assert.equal(r.distanceCount, 1 + r.upper[0].distances + r.level0.visited.length - 1);
});

test('a small efSearch stops before the whole line is seen, a large one sees it all', () => {
  const small = replayHnswSearch(lineGraph(10), { k: 1, efSearch: 1, checkRelativeDistance: true }, distances);
  assert.deepEqual(Array.from(small.labels), [7]);
  assert.ok(small.level0.visited.length < 10, `visited ${small.level0.visited.length}`);
  const large = replayHnswSearch(lineGraph(10), { k: 1, efSearch: 20, checkRelativeDistance: true }, distances);
  assert.equal(large.level0.visited.length, 10);
  assert.equal(large.level0.stop, 'exhausted');
});

test('an empty graph answers nothing', () => {
  const g = { ...lineGraph(2), entryPoint: -1 };
  const r = replayHnswSearch(g, { k: 2, efSearch: 4, checkRelativeDistance: true }, distances);
  assert.deepEqual(Array.from(r.labels), [-1, -1]);
  assert.equal(r.distanceCount, 0);
});

test("the max-heap keeps faiss's order: largest distance on top, ties by the larger id", () => {
  const dis = new Float32Array(4);
  const ids = new Int32Array(4);
  [[1, 10], [3, 11], [3, 12], [2, 13]].forEach(([d, id], i) => heapPush(i + 1, dis, ids, d, id));
  assert.deepEqual([dis[0], ids[0]], [3, 12]);
  heapPop(4, dis, ids);
  assert.deepEqual([dis[0], ids[0]], [3, 11]);
  heapPop(3, dis, ids);
  assert.deepEqual([dis[0], ids[0]], [2, 13]);
});
