import { parentPort, workerData } from 'node:worker_threads';
import { runPart } from '../../../app/projection/umap-layout.js';
import { CONTROL, type ThreadData } from './umap-threads.js';

/**
 * A layout thread: it waits for the go signal, runs its parts' epoch on the shared layout, counts
 * itself done, and waits again; a negative epoch ends it. Built on its own (dist/main/umap-thread.cjs).
 */
const { control, y, parts, shape } = workerData as ThreadData;
let seen = 0;
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(control, CONTROL.go, seen);
  seen = Atomics.load(control, CONTROL.go);
  const epoch = Atomics.load(control, CONTROL.epoch);
  if (epoch < 0) break;
  try {
    for (const part of parts) runPart(part, y, epoch, shape);
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  Atomics.add(control, CONTROL.done, 1);
  Atomics.notify(control, CONTROL.done);
}
