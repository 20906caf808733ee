import { EngineError, toErrorValue, type ErrorValue } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import type { JobInfo } from '../../app/contract/operations.js';
import { newId } from './new-id.js';
import type { OnProgress } from './request-channel.js';

/** finished jobs are forgotten oldest first past this many */
const KEPT_JOBS = 200;

interface Job {
  info: JobInfo;
  requestId: number | null;
  result?: unknown;
}

/** The jobs: each around one piece of worker work, its progress and end broadcast as events, cancellable while it runs. */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly emit: (e: EngineEvent) => void,
    private readonly cancelRequest: (requestId: number) => void,
  ) {}

  /** `work` reports progress and the id of its worker request (what a cancel goes to); `after` and `onFail` see its end first. */
  start<T>(kind: string, work: (onProgress: OnProgress, onRequestId: (id: number) => void) => Promise<T>, after?: (r: T) => void, onFail?: (e: ErrorValue) => void): { job: string } {
    const id = newId('job');
    const job: Job = { info: { id, kind, phase: 'queued', done: 0, total: 0, status: 'queued' }, requestId: null };
    this.jobs.set(id, job);
    if (this.jobs.size > KEPT_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    const onProgress = (phase: string, done: number, total: number) => {
      job.info = { ...job.info, phase, done, total, status: 'running' };
      this.emit({ type: 'progress', job: id, kind, phase, done, total });
    };
    work(onProgress, (rid) => (job.requestId = rid)).then(
      (result) => {
        job.result = result;
        after?.(result);
        job.info = { ...job.info, status: 'done', phase: 'done' };
        this.emit({ type: 'job-end', job: id, kind, status: 'done' });
      },
      (err) => {
        const error = toErrorValue(err);
        const status = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
        onFail?.(error);
        job.info = { ...job.info, status, error };
        this.emit({ type: 'job-end', job: id, kind, status, error });
      },
    );
    return { job: id };
  }

  info(id: string): JobInfo {
    return this.job(id).info;
  }

  /** Asks the worker to stop the job's request, if it still runs; answers the job as it is now. */
  cancel(id: string): JobInfo {
    const j = this.job(id);
    if (j.requestId !== null && (j.info.status === 'running' || j.info.status === 'queued')) this.cancelRequest(j.requestId);
    return j.info;
  }

  result(id: string): unknown {
    const j = this.job(id);
    if (j.info.status !== 'done') throw new EngineError('BAD_REQUEST', `job "${j.info.id}" is ${j.info.status}, it has no result`);
    return j.result;
  }

  private job(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw new EngineError('JOB_NOT_FOUND', `no job "${id}"`);
    return j;
  }
}
