import type { Transport } from '../../app/contract/client.js';
import type { EngineHost } from './engine-host.js';

/** The contract's transport to an engine in this process: the server waits for jobs through the same client as the UI. */
export function inProcessTransport(engine: Pick<EngineHost, 'handle' | 'onEvent'>): Transport {
  return { call: (op, input) => engine.handle(op, input), onEvent: (listener) => engine.onEvent(listener) };
}
