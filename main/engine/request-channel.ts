import { EngineError } from '../../app/contract/errors.js';
import type { FromWorker, WorkerOpName, WorkerOps } from '../../app/contract/worker-protocol.js';
import type { WorkerHandle } from './worker-handle.js';

export type OnProgress = (phase: string, done: number, total: number) => void;

interface Pending {
  resolve(value: unknown): void;
  reject(err: EngineError): void;
  onProgress?: OnProgress;
  /** the catalogued index this call works on, if any: a suspect when the worker dies */
  index?: string;
}

/** Calls into the worker: request ids, the replies still owed, and the progress that comes before them. */
export class RequestChannel {
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly worker: () => WorkerHandle | null,
    /** the catalogued index an input names, if any */
    private readonly subjectOf: (input: unknown) => string | undefined,
  ) {}

  call<K extends WorkerOpName>(op: K, input: WorkerOps[K]['in'], onProgress?: OnProgress, onRequestId?: (id: number) => void): Promise<WorkerOps[K]['out']> {
    const w = this.worker();
    if (!w) return Promise.reject(new EngineError('WORKER_RESTARTED', 'the faiss worker is restarting; try again'));
    const id = this.nextRequest++;
    onRequestId?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress, index: this.subjectOf(input) });
      w.post({ type: 'call', id, op, input });
    });
  }

  cancel(requestId: number): void {
    this.worker()?.post({ type: 'cancel', id: requestId });
  }

  receive(m: Exclude<FromWorker, { type: 'ready' }>): void {
    if (m.type === 'progress') {
      this.pending.get(m.id)?.onProgress?.(m.phase, m.done, m.total);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new EngineError(m.error.code, m.error.message));
  }

  /** the indexes the calls still owed a reply work on */
  inFlightIndexes(): Set<string> {
    return new Set([...this.pending.values()].flatMap((p) => (p.index ? [p.index] : [])));
  }

  /** The worker is gone: every call still owed a reply fails with WORKER_RESTARTED. */
  failAll(message: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EngineError('WORKER_RESTARTED', message));
    }
  }
}
