import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { toErrorValue, type ErrorValue } from '../../app/contract/errors.js';
import { IPC_EVENT_CHANNEL, IPC_PICKED_FILE_CHANNEL, ipcChannel } from '../../app/contract/routes.js';
import { OP_NAMES } from '../../app/contract/operations.js';
import type { EngineHost } from '../engine/engine-host.js';

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: ErrorValue };

/**
 * The only code that touches ipcMain: one handler per contract operation. Each checks that the
 * message comes from our own page before the engine validates the payload itself.
 */
export function wireIpc(engine: EngineHost, isTrustedSender: (event: IpcMainInvokeEvent | IpcMainEvent) => boolean): void {
  ipcMain.on(IPC_PICKED_FILE_CHANNEL, (event, file: unknown) => {
    if (isTrustedSender(event) && typeof file === 'string') engine.grantPickedFile(file);
  });
  for (const op of OP_NAMES) {
    ipcMain.handle(ipcChannel(op), async (event, input: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'message from an unknown page' } };
      try {
        return { ok: true, value: await engine.handle(op, input) };
      } catch (err) {
        return { ok: false, error: toErrorValue(err) };
      }
    });
  }
}

export function forwardEvents(engine: EngineHost, target: () => WebContents | null): () => void {
  return engine.onEvent((e) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e);
  });
}
