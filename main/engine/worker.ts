import { EngineError, toErrorValue } from '../../app/contract/errors.js';
import type { ToWorker, WorkerOpName } from '../../app/contract/worker-protocol.js';
import { connectToParent } from './parent-port.js';
import type { Ctx, Handlers } from './worker/state.js';
import { datasetOps } from './worker/dataset-ops.js';
import { indexOps } from './worker/index-ops.js';
import { searchOps } from './worker/search-ops.js';
import { projectionOps } from './worker/projection-ops.js';
import { labOps } from './worker/lab-ops.js';
import { exploreOps } from './worker/explore-ops.js';
import { explainOps } from './worker/explain-ops.js';

/** The one process that owns faiss objects and dataset memory: a message loop over handler groups. */
const port = connectToParent();
const cancelled = new Set<number>();
/** typed over every worker operation, so an operation forwarded by the host without a handler here does not compile */
const handlers: Handlers<WorkerOpName> = { ...datasetOps, ...indexOps, ...searchOps, ...projectionOps, ...labOps, ...exploreOps, ...explainOps };

async function run(id: number, op: WorkerOpName, input: unknown): Promise<void> {
  const ctx: Ctx = {
    progress: (phase, done, total) => port.post({ type: 'progress', id, phase, done, total }),
    checkpoint: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (cancelled.has(id)) throw new EngineError('CANCELLED', `${op} was cancelled`);
    },
  };
  try {
    const handler = handlers[op] as (input: unknown, ctx: Ctx) => Promise<unknown>;
    if (!handler) throw new EngineError('BAD_REQUEST', `the worker has no operation "${op}"`);
    const value = await handler(input, ctx);
    port.post({ type: 'reply', id, ok: true, value });
  } catch (err) {
    port.post({ type: 'reply', id, ok: false, error: toErrorValue(err) });
  } finally {
    cancelled.delete(id);
  }
}

port.onMessage((msg: ToWorker) => {
  if (msg.type === 'cancel') cancelled.add(msg.id);
  else if (msg.type === 'call') void run(msg.id, msg.op, msg.input);
});
port.post({ type: 'ready', pid: process.pid });
