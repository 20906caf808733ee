import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerMarks, exactDistance, meanRecall, recallPerQuery, withinKth } from '../../../../app/eval/recall.js';

// one-dimensional points: the distance from the query at 0 to row i is base[i]² (squared L2)
const base = Float32Array.from([0, 1, -1, 2, 3, -3]);
const query = Float32Array.from([0]);
const l2 = exactDistance(base, query, 1, 'l2');
const one = (ids: number[]) => ({ ids, width: ids.length });

describe('tie-aware recall', () => {
  it('counts a neighbour at the k-th exact distance as found, whichever of the tied ids faiss returned', () => {
    // rows 1 and 2 both lie at distance 1: the exact list names 1, the index returned 2
    assert.deepEqual([...recallPerQuery(one([0, 2]), one([0, 1]), 1, 2, l2, 'l2')], [1]);
    // row 3 (distance 4) in place of 1 is a miss
    assert.deepEqual([...recallPerQuery(one([0, 3]), one([0, 1]), 1, 2, l2, 'l2')], [0.5]);
  });

  it('takes float32 noise at the k-th distance as a tie (311 against 311.00003), but not a real gap', () => {
    assert.ok(withinKth(311.00003, 311, 'l2'));
    assert.ok(!withinKth(311.5, 311, 'l2'));
    assert.ok(withinKth(0.98, 0.98000001, 'ip'), 'inner product: higher is nearer');
    assert.ok(!withinKth(0.9, 0.98, 'ip'));
    assert.ok(withinKth(0.99, 0.98, 'ip'));
  });

  it('never counts missing neighbours (-1) or an id returned twice', () => {
    assert.deepEqual([...recallPerQuery(one([-1, -1]), one([0, 1]), 1, 2, l2, 'l2')], [0]);
    assert.deepEqual([...recallPerQuery(one([1, 1]), one([0, 1]), 1, 2, l2, 'l2')], [0.5]);
    // an exact list with a missing place asks only for what exists
    assert.deepEqual([...recallPerQuery(one([0, -1]), one([0, -1]), 1, 2, l2, 'l2')], [1]);
    assert.ok(Number.isNaN(recallPerQuery(one([0]), one([-1]), 1, 1, l2, 'l2')[0]));
  });

  it('reads recall@1 and recall@k from one wide search and a wider ground truth', () => {
    const approx = { ids: [1, 0, 3], width: 3 };
    const truth = { ids: [0, 1, 2, 3], width: 4 };
    assert.deepEqual([...recallPerQuery(approx, truth, 1, 1, l2, 'l2')], [0], 'row 1 is not the nearest');
    assert.deepEqual([...recallPerQuery(approx, truth, 1, 2, l2, 'l2')], [1]);
    assert.deepEqual([...recallPerQuery(approx, truth, 1, 3, l2, 'l2')], [2 / 3], 'row 3 lies beyond the 3rd exact distance');
  });

  it('measures inner products as faiss does, higher nearer', () => {
    const ip = exactDistance(base, Float32Array.from([1]), 1, 'ip');
    assert.equal(ip(0, 4), 3);
    // exact top 2 by inner product with 1: rows 4 (3) and 3 (2)
    assert.deepEqual([...recallPerQuery(one([4, 1]), one([4, 3]), 1, 2, ip, 'ip')], [0.5]);
  });

  it('averages over the queries that have an exact list', () => {
    assert.equal(meanRecall([1, 0.5, Number.NaN]), 0.75);
    assert.equal(meanRecall([]), 0);
  });
});

describe('one answer\'s marks for the table and the map', () => {
  it('a neighbour tied with the k-th exact one is neither wrong nor leaves a miss; a real gap is both', () => {
    // exact: rows 0 (d 0), 1 (d 1), 3 (d 4); the index returned 0, 2 (d 1, a tie with row 1), 4 (d 9)
    const marks = answerMarks([0, 2, 4], [0, 1, 9], [0, 1, 3], [0, 1, 4], 'l2');
    assert.deepEqual(marks.wrong, [false, false, true]);
    assert.deepEqual(marks.missed, [1], 'one exact neighbour is missed, not two: row 2 stands in for one of them');
    assert.equal(marks.recall, 2 / 3);
    // float32 noise at the k-th distance (311 vs 311.00003) is a tie
    const tie = answerMarks([7, 8], [5, 311.00003], [7, 9], [5, 311], 'l2');
    assert.deepEqual([tie.wrong, tie.missed, tie.recall], [[false, false], [], 1]);
  });

  it('reads inner products the other way round, and never marks a missing (-1) neighbour wrong', () => {
    const ip = answerMarks([3, -1], [0.9, Number.NaN], [3, 5], [0.9, 0.5], 'ip');
    assert.deepEqual(ip.wrong, [false, false]);
    assert.deepEqual(ip.missed, [5]);
    assert.equal(answerMarks([3, 6], [0.9, 0.49], [3, 5], [0.9, 0.5], 'ip').wrong[1], true);
  });
});
