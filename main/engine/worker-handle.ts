import type { FromWorker, ToWorker } from '../../app/contract/worker-protocol.js';

/** The host's view of a worker process, whatever started it (fork or Electron utilityProcess). */
export interface WorkerHandle {
  readonly pid: number | undefined;
  post(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** called once when the process is gone, however it went */
  onExit(listener: (code: number | null, reason: string) => void): void;
  kill(): void;
}

export type SpawnWorker = () => WorkerHandle;
