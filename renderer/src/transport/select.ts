import type { Transport } from '../../../app/contract/client.js';
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../app/contract/preload-api.js';
import { createHttpTransport } from './http.js';
import { createIpcTransport } from './ipc.js';

export type TransportKind = 'ipc' | 'http';

/** Electron's preload defines the global; without it we are a page served by the engine. */
export function selectTransport(scope: object = globalThis): { kind: TransportKind; transport: Transport } {
  const api = (scope as Record<string, unknown>)[PRELOAD_GLOBAL] as PreloadApi | undefined;
  if (api && typeof api === 'object') return { kind: 'ipc', transport: createIpcTransport(api) };
  return { kind: 'http', transport: createHttpTransport() };
}
