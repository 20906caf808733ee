import type { FromWorker, ToWorker } from '../../app/contract/worker-protocol.js';

/** The worker's side of the channel: Electron's parentPort in a utilityProcess, else fork's IPC. */
export interface ParentPort {
  post(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (e) => l(e.data as ToWorker)),
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return {
      post: (m) => send(m),
      onMessage: (l) => process.on('message', (m) => l(m as ToWorker)),
    };
  }
  throw new Error('the faiss worker must be started by the engine host (no parent port)');
}
