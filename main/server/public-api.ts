import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError } from '../../app/contract/errors.js';
import type { EngineHost } from '../engine/engine-host.js';
import { sendJson } from './http-io.js';

/** The public v1 API for scripts (shared/API.md). */
export async function handlePublicApi(engine: EngineHost, req: IncomingMessage, res: ServerResponse, _limit: number): Promise<void> {
  const url = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && url === '/v1/health') {
    sendJson(res, 200, JSON.stringify(await engine.handle('health', {})));
    return;
  }
  throw new EngineError('NOT_FOUND', `no route ${req.method} ${url}`);
}
