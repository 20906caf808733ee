import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EngineError } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import { OP_NAMES, type OpName } from '../../app/contract/operations.js';
import { PRELOAD_GLOBAL, type PreloadApi } from '../../app/contract/preload-api.js';
import { IPC_EVENT_CHANNEL, IPC_PICKED_FILE_CHANNEL, ipcChannel } from '../../app/contract/routes.js';
import type { IpcReply } from './ipc.js';

async function invoke(op: OpName, input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(ipcChannel(op), input)) as IpcReply;
  if (reply.ok) return reply.value;
  throw new EngineError(reply.error.code, reply.error.message);
}

// One task-level method per contract operation, nothing else: no raw channels, no sendSync.
const api = Object.fromEntries(OP_NAMES.map((op) => [op, (input: unknown) => invoke(op, input)])) as unknown as PreloadApi;
api.onEvent = (listener: (event: EngineEvent) => void) => {
  const handler = (_e: unknown, event: EngineEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  };
};

// sent before the page can name the path in a request, and on the same pipe, so main has it first
api.pathForFile = (file: unknown) => {
  const picked = webUtils.getPathForFile(file as File);
  if (picked) ipcRenderer.send(IPC_PICKED_FILE_CHANNEL, picked);
  return picked;
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
