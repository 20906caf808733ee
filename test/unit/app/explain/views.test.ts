import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexPipeline } from '../../../../app/explain/index-kind.js';
import { listRanks, nprobeForAll, reachableByNprobe, scannedByNprobe } from '../../../../app/explain/ivf-view.js';
import { approxDistance, exactOrder, refine } from '../../../../app/explain/pq-view.js';

test('factory strings map to the explanation that fits them', () => {
  assert.equal(indexPipeline('Flat').kind, 'flat');
  assert.deepEqual(indexPipeline('OPQ16_64,IVF256,PQ16').pipeline, ['OPQ16_64', 'IVF256', 'PQ16']);
  assert.equal(indexPipeline('OPQ16_64,IVF256,PQ16').kind, 'ivf');
  assert.equal(indexPipeline('OPQ16_64,IVF256,PQ16').pq, true);
  assert.equal(indexPipeline('IVF100,SQ8').pq, false);
  assert.equal(indexPipeline('HNSW32').kind, 'hnsw');
  assert.equal(indexPipeline('PQ8x4').kind, 'pq');
  assert.equal(indexPipeline('IndexIVFFlat').kind, 'ivf');
  const lsh = indexPipeline('LSH');
  assert.equal(lsh.kind, 'other');
  assert.match(lsh.note, /"LSH"/);
  assert.equal(indexPipeline('IDMap,Flat').kind, 'other');
});

test('IVF: list ranks, the share scanned and the neighbours reachable per nprobe', () => {
  const order = Int32Array.of(2, 0, 1);
  const sizes = Int32Array.of(10, 30, 60);
  assert.deepEqual(Array.from(listRanks(order, 3)), [1, 2, 0]);
  assert.deepEqual(Array.from(scannedByNprobe(order, sizes)), [0.6, 0.7, 1]);
  // four exact neighbours: two in the nearest list, one in the third, one in the second
  const ranks = Int32Array.of(0, 0, 2, 1);
  assert.deepEqual(Array.from(reachableByNprobe(ranks, 3)), [0.5, 0.75, 1]);
  assert.equal(nprobeForAll(ranks), 3);
});

test('PQ: a code sums the table cells it picks; refining re-orders by exact distance', () => {
  // M = 2 sub-quantizers of ksub = 3 centroids; two tables, the second code uses table 1
  const t = {
    M: 2, ksub: 3,
    tables: Float32Array.of(1, 2, 3, 10, 20, 30, 100, 200, 300, 1000, 2000, 3000),
    codes: Int32Array.of(2, 0, 1, 1),
    tableOf: Int32Array.of(0, 1),
    bias: Float32Array.of(0, 0.5),
  };
  assert.equal(approxDistance(t, 0), 3 + 10);
  assert.equal(approxDistance(t, 1), 0.5 + 200 + 2000);
  assert.deepEqual(exactOrder([7, 8, 9], [3, 1, 2], false), [2, 0, 1]);
  assert.deepEqual(exactOrder([7, 8, 9], [3, 1, 2], true), [0, 2, 1]);
  assert.deepEqual(refine([7, 8, 9], [3, 1, 2], 2, false), [8, 9]);
});
