import { EngineError, fromErrorValue } from './errors.js';
import type { EngineEvent } from './events.js';
import type { CallOpName, JobOpName, JobResult, OpInput, OpName, OpOutput } from './operations.js';

/** What a transport (IPC or HTTP) must do; the client adds types and job handling on top. */
export interface Transport {
  call(op: OpName, input: unknown): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

export interface RunningJob<R> {
  job: string;
  result: Promise<R>;
  cancel(): Promise<void>;
}

export interface EngineClient {
  call<K extends CallOpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  start<K extends JobOpName>(op: K, input: OpInput<K>, onProgress?: (p: JobProgress) => void): Promise<RunningJob<JobResult<K>>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export function createClient(transport: Transport): EngineClient {
  const call = <K extends CallOpName>(op: K, input: OpInput<K>) => transport.call(op, input) as Promise<OpOutput<K>>;

  async function start<K extends JobOpName>(op: K, input: OpInput<K>, onProgress?: (p: JobProgress) => void) {
    // subscribe before starting so no event of this job can be missed
    let jobId: string | null = null;
    const early: EngineEvent[] = [];
    let settle: ((e: EngineEvent) => void) | null = null;
    const ended = new Promise<EngineEvent & { type: 'job-end' }>((resolve) => {
      settle = (e) => {
        if (e.type === 'progress' && onProgress) onProgress(e);
        if (e.type === 'job-end') resolve(e);
        if (e.type === 'engine' && e.state === 'restarted') resolve({ type: 'job-end', job: jobId ?? '', kind: op, status: 'failed', error: { code: 'WORKER_RESTARTED', message: e.message } });
      };
    });
    const off = transport.onEvent((e) => {
      if (e.type === 'engine') return settle?.(e);
      if (!('job' in e)) return;
      if (jobId === null) early.push(e);
      else if (e.job === jobId) settle?.(e);
    });
    let started: { job: string };
    try {
      started = (await transport.call(op, input)) as { job: string };
    } catch (err) {
      off();
      throw err;
    }
    jobId = started.job;
    for (const e of early.splice(0)) if ('job' in e && e.job === jobId) settle!(e);
    const result = ended.then(async (end) => {
      off();
      if (end.status === 'done') return (await transport.call('jobResult', { id: started.job })) as JobResult<K>;
      if (end.error) throw fromErrorValue(end.error);
      throw new EngineError('CANCELLED', `${op} was cancelled`);
    });
    return {
      job: started.job,
      result,
      cancel: async () => {
        await transport.call('cancelJob', { id: started.job });
      },
    };
  }

  return { call, start, onEvent: (l) => transport.onEvent(l) };
}
