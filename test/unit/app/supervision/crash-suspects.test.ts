import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashSuspects } from '../../../../app/supervision/crash-suspects.js';

test('an item being reopened at two deaths in a row is quarantined; one death is not enough', () => {
  const s = new CrashSuspects();
  s.reopeningStarted('index:a');
  assert.deepEqual(s.onDeath([]), []);
  s.reopeningStarted('index:a');
  assert.deepEqual(s.onDeath([]), ['index:a']);
});

test('deaths at different items, or a whole start between them, quarantine nothing', () => {
  const s = new CrashSuspects();
  s.reopeningStarted('index:a');
  assert.deepEqual(s.onDeath([]), []);
  s.reopeningStarted('dataset:b');
  assert.deepEqual(s.onDeath([]), []);
  s.reopeningStarted('dataset:b');
  s.reopeningEnded();
  s.restoreFinished();
  assert.deepEqual(s.onDeath([]), []);
  s.reopeningStarted('dataset:b');
  assert.deepEqual(s.onDeath([]), []);
});

test('an index with calls in flight at three deaths in a row is quarantined; a death without it resets its count', () => {
  const s = new CrashSuspects();
  assert.deepEqual(s.onDeath(['x', 'y']), []);
  assert.deepEqual(s.onDeath(['x']), []);
  // y missed the second death: its count began again at the third
  assert.deepEqual(s.onDeath(['x', 'y']), ['index:x']);
  assert.deepEqual(s.onDeath(['y']), []);
  assert.deepEqual(s.onDeath(['y']), ['index:y']);
});
