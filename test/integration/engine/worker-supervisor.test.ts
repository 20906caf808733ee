import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkWorker } from '../../../main/engine/fork-worker.js';
import { WorkerSupervisor, type WorkerExit } from '../../../main/engine/worker-supervisor.js';
import { buildNodeIfStale } from '../../../main/build-node.mjs';
import { WORKER_ENTRY } from '../../helpers/engine.js';
import { waitFor } from '../../helpers/wait-for.js';

test('the supervisor restores every new worker, reports a crash as a typed exit with a successor coming, and a stop as one without', async () => {
  await buildNodeIfStale();
  const exits: WorkerExit[] = [];
  const restored: (number | undefined)[] = [];
  const supervisor = new WorkerSupervisor({
    spawnWorker: forkWorker(WORKER_ENTRY),
    restartBackoff: { firstMs: 10, maxMs: 20, stableMs: 60_000 },
    log: () => undefined,
    restore: async (worker) => void restored.push(worker.pid),
    onMessage: () => undefined,
    onExit: (exit) => exits.push(exit),
  });
  // read through a function: the process behind `current` changes under the test
  const pidNow = () => supervisor.current?.pid;
  await supervisor.start();
  const first = pidNow();
  assert.ok(first);
  assert.deepEqual(restored, [first]);

  process.kill(first, 'SIGKILL');
  await waitFor(() => exits.length === 1 || undefined, { timeoutMs: 10_000, what: 'the exit event' });
  assert.deepEqual(exits[0], { pid: first, code: null, reason: 'killed by SIGKILL', restarting: true });
  assert.equal(pidNow(), undefined);
  await waitFor(() => restored.length === 2 || undefined, { timeoutMs: 20_000, what: 'the restart' });
  await supervisor.ready;
  const second = pidNow();
  assert.ok(second && second !== first);
  assert.equal(restored[1], second);

  let closed = false;
  await supervisor.stop(async () => void (closed = true));
  assert.ok(closed);
  assert.equal(pidNow(), undefined);
  assert.equal(exits.length, 2);
  assert.deepEqual({ pid: exits[1].pid, restarting: exits[1].restarting }, { pid: second, restarting: false });
});
