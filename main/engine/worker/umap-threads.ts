import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runPart, type LayoutPart, type LayoutShape, type UmapLayout } from '../../../app/projection/umap-layout.js';

/** Slots of the shared control words: a go counter, the epoch to run (-1: stop), the next part to take, threads done, a failure flag. */
export const CONTROL = { go: 0, epoch: 1, next: 2, done: 3, failed: 4 } as const;

/** What a layout thread is handed (every part: any thread may take any): everything lives in shared memory. */
export interface ThreadData {
  control: Int32Array;
  y: Float32Array;
  parts: LayoutPart[];
  shape: LayoutShape;
}

export interface LayoutThreads {
  /** threads in all, this one included */
  threads: number;
  /** runs every part's epoch, some here and the rest on the threads, and returns when all are done */
  run(epoch: number): void;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** The thread entry the build puts beside the worker's bundle (unpacked beside the asar archive in a packaged app). */
export function bundledThreadEntry(): string | null {
  if (typeof __dirname !== 'string') return null;
  const entry = path.join(__dirname, 'umap-thread.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  return existsSync(entry) ? entry : null;
}

/**
 * Threads for a layout in shared memory, one per part up to the machine's cores (this thread is
 * one of them). Each epoch every thread takes the next part nobody has taken until none is left,
 * so a thread slowed by other work on the machine takes fewer. Null when one thread is all there
 * would be, or when no thread starts: the layout then runs here, to the same result, since parts
 * never depend on who runs them.
 */
export async function startLayoutThreads(
  layout: UmapLayout,
  { entry = bundledThreadEntry(), cores = availableParallelism() }: { entry?: string | null; cores?: number } = {},
): Promise<LayoutThreads | null> {
  const threads = Math.min(layout.parts.length, cores);
  if (threads <= 1 || !entry || !(layout.y.buffer instanceof SharedArrayBuffer)) return null;
  const control = new Int32Array(new SharedArrayBuffer(5 * 4));
  const data: ThreadData = { control, y: layout.y, parts: layout.parts, shape: layout.shape };
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < threads; t++) {
      // a plain bundle: none of this process's flags (a test's loader) is wanted there
      const worker = new Worker(entry, { workerData: data, execArgv: [] });
      workers.push(worker);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('layout thread did not start')), START_TIMEOUT_MS);
        worker.once('message', () => (clearTimeout(timer), resolve()));
        worker.once('error', (err) => (clearTimeout(timer), reject(err)));
      });
    }
  } catch {
    await Promise.all(workers.map((w) => w.terminate()));
    return null;
  }
  const helpers = workers.length;
  return {
    threads,
    run(epoch) {
      const target = Atomics.load(control, CONTROL.done) + helpers;
      Atomics.store(control, CONTROL.epoch, epoch);
      Atomics.store(control, CONTROL.next, 0);
      Atomics.add(control, CONTROL.go, 1);
      Atomics.notify(control, CONTROL.go);
      takeParts(data, epoch);
      for (let done = Atomics.load(control, CONTROL.done); done < target; done = Atomics.load(control, CONTROL.done)) Atomics.wait(control, CONTROL.done, done);
      if (Atomics.load(control, CONTROL.failed)) throw new Error('a layout thread failed');
    },
    async close() {
      Atomics.store(control, CONTROL.epoch, -1);
      Atomics.add(control, CONTROL.go, 1);
      Atomics.notify(control, CONTROL.go);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Runs parts of this epoch as long as one is left that no thread has taken. */
export function takeParts({ control, y, parts, shape }: ThreadData, epoch: number): void {
  for (let p = Atomics.add(control, CONTROL.next, 1); p < parts.length; p = Atomics.add(control, CONTROL.next, 1)) runPart(parts[p], y, epoch, shape);
}
