import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, takeParts, type ThreadData } from './umap-threads.js';

/**
 * A layout thread: it waits for the go signal, takes parts of the epoch until none is left, counts
 * itself done, and waits again; a negative epoch ends it. Built on its own (dist/main/umap-thread.cjs).
 */
const data = workerData as ThreadData;
const { control } = data;
let seen = 0;
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(control, CONTROL.go, seen);
  seen = Atomics.load(control, CONTROL.go);
  const epoch = Atomics.load(control, CONTROL.epoch);
  if (epoch < 0) break;
  try {
    takeParts(data, epoch);
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  Atomics.add(control, CONTROL.done, 1);
  Atomics.notify(control, CONTROL.done);
}
