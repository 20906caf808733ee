import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recallAtK } from '../../../../app/eval/recall.js';

test('recall@k counts found true neighbours, never the -1 padding', () => {
  const exact = [1, 2, 3, 4, 5, 6];
  assert.equal(recallAtK([1, 2, 3, 4, 5, 6], exact, 2, 3), 1);
  assert.equal(recallAtK([3, 2, 9, 6, 5, 4], exact, 2, 3), 5 / 6);
  assert.equal(recallAtK([-1, -1, -1, 4, -1, -1], exact, 2, 3), 1 / 6);
  assert.equal(recallAtK([], [], 0, 3), 0);
});
