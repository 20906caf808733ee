import type { EngineClient, JobProgress, RunningJob } from '../../../app/contract/client.js';
import type { JobOpName, JobResult, OpInput } from '../../../app/contract/operations.js';
import { EngineError, fromErrorValue } from '../../../app/contract/errors.js';
import { isCancelled, uiError } from './errors.js';
import type { UiError } from './types.js';

/**
 * Waits for a job's result. The client settles it from events; polling getJob as well means a
 * job whose events were lost (say, while the event stream reconnected) still finishes.
 */
export async function finishJob<R>(
  client: EngineClient,
  running: RunningJob<R>,
  pollMs: number,
  onProgress?: (p: JobProgress) => void,
): Promise<R> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sleep = () => new Promise<void>((resolve) => (timer = setTimeout(resolve, pollMs)));

  const polled = (async (): Promise<R> => {
    while (!stopped) {
      await sleep();
      if (stopped) break;
      let info;
      try {
        info = await client.call('getJob', { id: running.job });
      } catch {
        continue; // the engine may be busy or restarting; the events path may still win
      }
      if (info.status === 'done') return (await client.call('jobResult', { id: running.job })) as R;
      if (info.status === 'failed') throw fromErrorValue(info.error ?? { code: 'INTERNAL', message: 'the job failed' });
      if (info.status === 'cancelled') throw new EngineError('CANCELLED', 'the job was cancelled');
      if (info.status === 'running' && info.total > 0) onProgress?.({ phase: info.phase, done: info.done, total: info.total });
    }
    return new Promise<R>(() => {}); // stopped: the other path already settled
  })();

  // whichever path loses must not surface as an unhandled rejection
  running.result.catch(() => {});
  polled.catch(() => {});
  try {
    return await Promise.race([running.result, polled]);
  } finally {
    stopped = true;
    clearTimeout(timer);
  }
}

/**
 * Asks the engine to cancel a running job. The job's own ending decides what is shown (it may
 * have just finished), so only an unexpected failure of the request itself is reported.
 */
export async function cancelRunning(job: RunningJob<unknown>, onError: (error: UiError) => void): Promise<void> {
  try {
    await job.cancel();
  } catch (err) {
    if (!isCancelled(err)) onError(uiError(err));
  }
}

/**
 * Starts a job and follows it to its result: `onStarted` gets the running job (to show its id and
 * to cancel it), progress goes to `onProgress` both from events and from polling.
 */
export async function runJob<K extends JobOpName>(
  client: EngineClient,
  op: K,
  input: OpInput<K>,
  pollMs: number,
  onProgress: (p: JobProgress) => void,
  onStarted: (running: RunningJob<JobResult<K>>) => void,
): Promise<JobResult<K>> {
  const running = await client.start(op, input, onProgress);
  onStarted(running);
  return finishJob(client, running, pollMs, onProgress);
}
