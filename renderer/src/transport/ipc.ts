import type { Transport } from '../../../app/contract/client.js';
import { decodeError, EngineError } from '../../../app/contract/errors.js';
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
        // errors crossing contextBridge lose their class; their code is kept when one survived
        throw decodeError(err);
      }
    },
    onEvent: (listener) => api.onEvent(listener),
  };
}
