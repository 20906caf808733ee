import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchBatcher, type BatcherOptions } from '../../../main/server/search-batcher.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A fake index: reads answer with the value the store holds when their batch runs. */
function fake(opts: Partial<BatcherOptions<number, string>> = {}) {
  const batches: number[][] = [];
  const log: string[] = [];
  let value = 0;
  let running = 0;
  let maxRunning = 0;
  const batcher = new SearchBatcher<number, string>({
    windowMs: 5,
    maxWeight: 100,
    maxRunning: 1,
    weight: (item) => item,
    runBatch: async (_lane, items) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      batches.push(items);
      log.push(`read ${items.join(',')}`);
      await tick(2);
      running--;
      return items.map((i) => `${i}@${value}`);
    },
    ...opts,
  });
  const write = (to: number) =>
    batcher.write('ix', async () => {
      log.push(`write ${to}`);
      assert.equal(running, 0, 'a write runs alone');
      await tick(2);
      value = to;
      return to;
    });
  return { batcher, batches, log, write, maxRunning: () => maxRunning };
}

test('concurrent reads with one key run as one batch, each caller gets its own answer', async () => {
  const f = fake();
  const answers = await Promise.all([1, 2, 3, 4].map((i) => f.batcher.read('ix', 'k10', i)));
  assert.deepEqual(answers, ['1@0', '2@0', '3@0', '4@0']);
  assert.deepEqual(f.batches, [[1, 2, 3, 4]]);
  f.batcher.forget('ix');
  assert.equal(f.batcher.laneCount, 0, 'an idle lane can be forgotten');
});

test('reads with different keys, or on different lanes, are not merged', async () => {
  const f = fake();
  await Promise.all([f.batcher.read('ix', 'k10', 1), f.batcher.read('ix', 'k5', 2), f.batcher.read('other', 'k10', 3)]);
  assert.equal(f.batches.length, 3);
});

test('a batch runs as soon as it is full, without waiting for its window', async () => {
  const f = fake({ windowMs: 10_000, maxWeight: 3 });
  const t0 = Date.now();
  const answers = await Promise.all([f.batcher.read('ix', 'k', 1), f.batcher.read('ix', 'k', 2)]);
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(answers, ['1@0', '2@0']);
  // an item heavier than a batch runs alone, at once
  assert.equal(await f.batcher.read('ix', 'k', 50), '50@0');
});

test('a batch that is full leaves the next reads to the next batch', async () => {
  const f = fake({ maxWeight: 4 });
  await Promise.all([1, 1, 1, 1, 1, 1].map((i) => f.batcher.read('ix', 'k', i)));
  assert.deepEqual(f.batches, [
    [1, 1, 1, 1],
    [1, 1],
  ]);
});

test('writes are ordered against reads: earlier reads do not see them, later reads do', async () => {
  const f = fake();
  const before = f.batcher.read('ix', 'k', 1);
  const w = f.write(7);
  const after = f.batcher.read('ix', 'k', 2);
  assert.deepEqual(await Promise.all([before, w, after]), ['1@0', 7, '2@7']);
  assert.deepEqual(f.log, ['read 1', 'write 7', 'read 2']);
});

test('a write waits for reads already running; reads queued behind it wait for it', async () => {
  const f = fake({ windowMs: 0 });
  const first = f.batcher.read('ix', 'k', 1);
  await tick(1); // the first batch is running now
  const w = f.write(3);
  const second = f.batcher.read('ix', 'k', 2);
  const third = f.batcher.read('ix', 'k', 4);
  assert.deepEqual(await Promise.all([first, w, second, third]), ['1@0', 3, '2@3', '4@3']);
  assert.deepEqual(f.log, ['read 1', 'write 3', 'read 2,4']);
});

test('at most maxRunning batches of a lane run at once', async () => {
  const f = fake({ windowMs: 0, maxRunning: 2, maxWeight: 1 });
  await Promise.all([1, 1, 1, 1, 1].map((i) => f.batcher.read('ix', 'k', i)));
  assert.equal(f.maxRunning(), 2);
});

test('a failed batch rejects each of its callers, and the lane goes on', async () => {
  let fail = true;
  const batcher = new SearchBatcher<number, number>({
    windowMs: 1,
    maxWeight: 10,
    maxRunning: 1,
    weight: () => 1,
    runBatch: async (_lane, items) => {
      if (fail) throw new Error('boom');
      return items;
    },
  });
  const results = await Promise.allSettled([batcher.read('ix', 'k', 1), batcher.read('ix', 'k', 2)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  await assert.rejects(batcher.write('ix', () => Promise.reject(new Error('write failed'))), /write failed/);
  fail = false;
  assert.equal(await batcher.read('ix', 'k', 5), 5);
});

/** A batcher whose batch led by item 1 holds the lane until `release()`. */
function held(windowMs: number) {
  const batches: number[][] = [];
  let release!: () => void;
  const batcher = new SearchBatcher<number, number>({
    windowMs,
    maxWeight: 100,
    maxRunning: 1,
    weight: () => 1,
    runBatch: async (_lane, items) => {
      batches.push(items);
      if (items[0] === 1) await new Promise<void>((r) => (release = r));
      return items;
    },
  });
  return { batcher, batches, release: () => release() };
}

test('a batch waiting behind a running one opens its window only when the lane frees, so the clients just answered can join', async () => {
  const { batcher, batches, release } = held(20);
  const first = batcher.read('ix', 'k', 1);
  await tick(40); // batch [1] runs and holds the lane
  const second = batcher.read('ix', 'k', 2);
  await tick(40); // longer than a window: [2] still waits, its window not yet open
  assert.deepEqual(batches, [[1]]);
  release();
  await first;
  const third = batcher.read('ix', 'k', 3); // a client just answered comes back
  await Promise.all([second, third]);
  assert.deepEqual(batches, [[1], [2, 3]]);
});

test('once the lane is free, a batch runs as soon as as many reads arrived as the last batch answered', async () => {
  const { batcher, batches, release } = held(300);
  const firstTwo = Promise.all([batcher.read('ix', 'k', 1), batcher.read('ix', 'k', 2)]);
  await tick(350); // the first batch waited its window (nothing answered yet), and runs
  const during = batcher.read('ix', 'k', 3);
  release();
  await firstTwo;
  const t0 = Date.now();
  // the two callers just answered come back: no need to wait any longer
  await Promise.all([during, batcher.read('ix', 'k', 4), batcher.read('ix', 'k', 5)]);
  assert.ok(Date.now() - t0 < 150, `took ${Date.now() - t0} ms`);
  assert.deepEqual(batches, [
    [1, 2],
    [3, 4, 5],
  ]);
  // a caller alone, one request after the other, waits at most once (for the three it last answered)
  await batcher.read('ix', 'k', 6);
  const t1 = Date.now();
  for (let i = 7; i < 10; i++) await batcher.read('ix', 'k', i);
  assert.ok(Date.now() - t1 < 150, `took ${Date.now() - t1} ms`);
});
