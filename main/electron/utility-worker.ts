import { utilityProcess } from 'electron';
import type { FromWorker, ToWorker } from '../../app/contract/worker-protocol.js';
import type { SpawnWorker, WorkerHandle } from '../engine/worker-handle.js';

/** Starts the faiss worker as an Electron utility process (the desktop app's way). */
export function utilityWorker(entry: string): SpawnWorker {
  return (): WorkerHandle => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'faiss-worker', stdio: 'inherit' });
    let exited = false;
    const exitListeners: ((code: number | null, reason: string) => void)[] = [];
    child.on('exit', (code) => {
      exited = true;
      for (const l of exitListeners) l(code, `exited with code ${code}`);
    });
    return {
      get pid() {
        return child.pid;
      },
      post: (message: ToWorker) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromWorker)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
