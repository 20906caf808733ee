import type { Transport } from '../../../app/contract/client.js';
import { EngineError, isErrorCode } from '../../../app/contract/errors.js';
import type { OpName } from '../../../app/contract/operations.js';
import type { PreloadApi } from '../../../app/contract/preload-api.js';

/** Electron: every call goes through the one object the preload exposes. */
export function createIpcTransport(api: PreloadApi): Transport {
  return {
    async call(op: OpName, input: unknown) {
      const method = api[op] as ((input: unknown) => Promise<unknown>) | undefined;
      if (typeof method !== 'function') throw new EngineError('BAD_REQUEST', `the preload has no operation "${op}"`);
      try {
        return await method(input ?? {});
      } catch (err) {
        throw asEngineError(err);
      }
    },
    onEvent: (listener) => api.onEvent(listener),
  };
}

// Errors crossing contextBridge lose their class; keep their code when one survived.
function asEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err && typeof err === 'object' && 'code' in err && isErrorCode(err.code)) {
    return new EngineError(err.code, 'message' in err ? String(err.message) : err.code);
  }
  return new EngineError('INTERNAL', err instanceof Error ? err.message : String(err));
}
