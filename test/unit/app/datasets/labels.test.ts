import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsFromMetadata, MAX_CATEGORIES } from '../../../../app/datasets/labels.js';

test('the first categorical string column becomes colour labels', () => {
  const r = labelsFromMetadata(
    [
      { name: 'score', type: 'number', values: [1, 2, 3] },
      { name: 'kind', type: 'string', values: ['cat', 'dog', 'cat'] },
    ],
    3,
  );
  assert.equal(r?.column, 'kind');
  assert.deepEqual(Array.from(r!.labels), [0, 1, 0]);
  assert.deepEqual(r!.names, ['cat', 'dog']);
});

test('free text and constant columns are not categories', () => {
  const many = Array.from({ length: MAX_CATEGORIES + 5 }, (_, i) => `w${i}`);
  assert.equal(labelsFromMetadata([{ name: 'text', type: 'string', values: many }], many.length), null);
  assert.equal(labelsFromMetadata([{ name: 'same', type: 'string', values: ['a', 'a'] }], 2), null);
  assert.equal(labelsFromMetadata(undefined, 2), null);
});

test('a column of few whole numbers named as labels (an .npz\'s labels, digits 0-9) becomes colour labels, in numeric order; a measure does not', () => {
  const r = labelsFromMetadata([{ name: 'labels', type: 'number', values: [3, 0, 9, 3, 1] }], 5);
  assert.equal(r?.column, 'labels');
  assert.deepEqual(r!.names, ['0', '1', '3', '9']);
  assert.deepEqual(Array.from(r!.labels), [2, 0, 3, 2, 1]);
  assert.equal(labelsFromMetadata([{ name: 'score', type: 'number', values: [3, 0, 9] }], 3), null, 'not named as labels');
  assert.equal(labelsFromMetadata([{ name: 'y', type: 'number', values: [0.5, 1, 2] }], 3), null, 'not whole numbers');
  const text = labelsFromMetadata([{ name: 'labels', type: 'number', values: [1, 2] }, { name: 'kind', type: 'string', values: ['a', 'b'] }], 2);
  assert.equal(text?.column, 'kind', 'a text column of names still comes first');
});
