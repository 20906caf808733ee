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
