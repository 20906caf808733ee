import { EngineError, toErrorValue } from '../../app/contract/errors.js';
import type { FromWorker } from '../../app/contract/worker-protocol.js';
import { RestartBackoff, type BackoffOptions } from '../../app/supervision/restart-backoff.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';

/** how long a stopping worker may take to go before it is killed outright */
const STOP_GRACE_MS = 2000;

/** A worker process gone, however it went. */
export interface WorkerExit {
  pid: number | undefined;
  code: number | null;
  reason: string;
  /** false once stop() was asked: no successor comes */
  restarting: boolean;
}

export interface WorkerSupervisorOptions {
  spawnWorker: SpawnWorker;
  restartBackoff?: BackoffOptions;
  log: (line: string) => void;
  /** runs on every new worker once it is ready; a start or restart is done when it resolves */
  restore: (worker: WorkerHandle) => Promise<void>;
  onMessage: (message: Exclude<FromWorker, { type: 'ready' }>) => void;
  onExit: (exit: WorkerExit) => void;
}

/** Starts the faiss worker, restarts it after the existing backoff when it dies, and stops it within a bounded time. */
export class WorkerSupervisor {
  private worker: WorkerHandle | null = null;
  private stopping = false;
  private wakeRestart: (() => void) | null = null;
  private readonly backoff: RestartBackoff;
  /** resolves once a worker runs and `restore` finished on it */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WorkerSupervisorOptions) {
    this.backoff = new RestartBackoff(opts.restartBackoff);
  }

  /** the running worker; null while one is restarting */
  get current(): WorkerHandle | null {
    return this.worker;
  }

  /** Resolves once a worker runs and is restored, after however many restarts that takes. */
  async start(): Promise<void> {
    this.ready = this.spawn();
    for (;;) {
      const attempt = this.ready;
      try {
        return await attempt;
      } catch (err) {
        // a worker that died while starting has been given a successor: wait for that one
        if (this.stopping || this.ready === attempt) throw err;
      }
    }
  }

  /** No more restarts; `closing` runs before the worker is asked to go, which it gets STOP_GRACE_MS to do. */
  async stop(closing: () => Promise<void>): Promise<void> {
    this.stopping = true;
    this.wakeRestart?.();
    await closing();
    const w = this.worker;
    if (!w) return; // already gone, crashed or never started
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        w.kill();
        resolve();
      }, STOP_GRACE_MS);
      w.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      w.kill();
    });
    this.worker = null;
  }

  private async spawn(): Promise<void> {
    if (this.stopping) throw new EngineError('WORKER_RESTARTED', 'the engine is stopping');
    const worker = this.opts.spawnWorker();
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.onMessage((m) => {
        if (m.type === 'ready') resolve();
        else this.opts.onMessage(m);
      });
      worker.onExit((code, reason) => {
        reject(new EngineError('WORKER_RESTARTED', `the faiss worker ${reason} while starting`));
        this.exited(worker, code, reason);
      });
    });
    this.backoff.started(Date.now());
    this.opts.log(`[engine] worker pid ${worker.pid} ready`);
    await this.opts.restore(worker);
  }

  private exited(worker: WorkerHandle, code: number | null, reason: string): void {
    if (worker !== this.worker) return; // an old worker, already replaced
    this.worker = null;
    const restarting = !this.stopping;
    if (restarting) {
      const delay = this.backoff.nextDelay(Date.now());
      this.opts.log(`[engine] the faiss worker ${reason}; restarting it in ${delay} ms`);
      this.ready = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeRestart = () => {
          clearTimeout(timer);
          resolve();
        };
      }).then(() => this.spawn());
      this.ready.catch((err) => this.opts.log(`[engine] restart failed: ${toErrorValue(err).message}`));
    }
    this.opts.onExit({ pid: worker.pid, code, reason, restarting });
  }
}
