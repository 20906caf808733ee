import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missedLabels } from '../../../../app/explain/missed-labels.js';

const near = { x: 1, y: 0.5 };

test('a lone missed neighbour gets its own nprobe', () => {
  assert.deepEqual(missedLabels([{ x: 0, y: 0, nprobe: 7 }], near), ['nprobe ≥ 7']);
});

test('neighbours drawn close together share one label with their range and count; the others are blank', () => {
  const labels = missedLabels(
    [
      { x: 0, y: 0, nprobe: 6 },
      { x: 0.5, y: 0.2, nprobe: 4 },
      { x: -0.9, y: -0.4, nprobe: 6 },
    ],
    near,
  );
  assert.deepEqual(labels, ['nprobe ≥ 4–6 · 3 here', '', '']);
});

test('the same nprobe in a cluster is said once; points apart keep their own labels', () => {
  const labels = missedLabels(
    [
      { x: 0, y: 0, nprobe: 3 },
      { x: 0.1, y: 0, nprobe: 3 },
      { x: 5, y: 0, nprobe: 9 },
      // far enough up, though close across: a label is wide, not tall
      { x: 0, y: 0.6, nprobe: 2 },
    ],
    near,
  );
  assert.deepEqual(labels, ['nprobe ≥ 3 · 2 here', '', 'nprobe ≥ 9', 'nprobe ≥ 2']);
});

test('a miss without an nprobe (HNSW, PQ) is ringed but not labelled, and joins no cluster', () => {
  assert.deepEqual(missedLabels([{ x: 0, y: 0 }, { x: 0, y: 0, nprobe: 2 }], near), ['', 'nprobe ≥ 2']);
});
