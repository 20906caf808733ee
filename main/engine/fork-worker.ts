import { fork } from 'node:child_process';
import type { FromWorker, ToWorker } from '../../app/contract/worker-protocol.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';

/** Starts the worker with child_process.fork (browser and serve modes). */
export function forkWorker(entry: string, env: NodeJS.ProcessEnv = {}): SpawnWorker {
  return (): WorkerHandle => {
    // 'advanced' serialization is structured clone: typed arrays cross intact
    const child = fork(entry, [], { serialization: 'advanced', env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exited = false;
    const exitListeners: ((code: number | null, reason: string) => void)[] = [];
    child.on('exit', (code, signal) => {
      exited = true;
      for (const l of exitListeners) l(code, signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    return {
      pid: child.pid,
      post: (message: ToWorker) => {
        if (!exited && child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as FromWorker)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
  };
}
