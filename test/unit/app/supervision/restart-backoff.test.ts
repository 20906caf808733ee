import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBackoff } from '../../../../app/supervision/restart-backoff.js';

test('waits double from the first to the cap while the process keeps dying, and never stop', () => {
  const b = new RestartBackoff({ firstMs: 200, maxMs: 30_000, stableMs: 60_000 });
  let now = 0;
  const waits = [];
  for (let i = 0; i < 12; i++) {
    b.started(now);
    now += 100;
    waits.push(b.nextDelay(now));
  }
  assert.deepEqual(waits, [200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000, 30000]);
});

test('a process that ran a while before dying starts the waits over', () => {
  const b = new RestartBackoff({ firstMs: 200, maxMs: 30_000, stableMs: 60_000 });
  b.started(0);
  assert.equal(b.nextDelay(10), 200);
  b.started(300);
  assert.equal(b.nextDelay(400), 400);
  b.started(1000);
  assert.equal(b.nextDelay(61_000), 200);
});
