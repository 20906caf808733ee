import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import { HTTP_EVENTS_ROUTE, HTTP_OP_PREFIX, HTTP_UPLOAD_ROUTE, PUBLIC_API_PREFIX } from '../../app/contract/routes.js';
import { decodeWire, encodeWire } from '../../app/contract/wire.js';
import type { EngineHost } from '../engine/engine-host.js';
import { readBody, sendError, sendJson, tokenMatches } from './http-io.js';
import { serveStatic } from './static-files.js';
import { receiveUpload } from './upload.js';
import { createPublicApi, type PublicApiOptions } from './public-api.js';

export interface HttpServerOptions {
  engine: EngineHost;
  host: string;
  port: number;
  /** built renderer to serve for browser mode; none in a bare API server */
  staticDir?: string;
  token?: string;
  bodyLimit?: number;
  /** v1 API settings: allowed directories, k limit, batching */
  publicApi?: Omit<PublicApiOptions, 'engine' | 'bodyLimit'>;
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** Where `serve` and the desktop app's Serve switch listen by default (see shared/API.md). */
export const API_PORT = 7391;
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
// plotly's WebGL traces compile shader glue with Function(); inline styles are plotly's own
export const UI_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host) && !opts.token) {
    throw new EngineError('UNAUTHORIZED', `refusing to listen on ${opts.host} without --token: only loopback is open without one`);
  }
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const publicApi = createPublicApi({ ...opts.publicApi, engine: opts.engine, bodyLimit: limit });
  const sseClients = new Set<ServerResponse>();
  const offEvents = opts.engine.onEvent((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const res of sseClients) res.write(line);
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const isApi = url.startsWith('/api/') || url.startsWith(PUBLIC_API_PREFIX);
    if (isApi && opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      throw new EngineError('UNAUTHORIZED', 'missing or wrong bearer token');
    }
    if (url.startsWith(HTTP_OP_PREFIX) && req.method === 'POST') {
      const op = url.slice(HTTP_OP_PREFIX.length).split('?')[0];
      const body = (await readBody(req, limit)).toString('utf8');
      let input: unknown;
      try {
        input = body ? decodeWire(body) : {};
      } catch {
        throw new EngineError('BAD_REQUEST', 'the request body is not valid JSON');
      }
      const output = await opts.engine.handle(op, input);
      sendJson(res, 200, encodeWire(output));
      return;
    }
    if (url.startsWith(`${HTTP_UPLOAD_ROUTE}?`) && req.method === 'POST') {
      const name = new URL(url, 'http://localhost').searchParams.get('name') ?? '';
      const file = await receiveUpload(req, path.join(opts.engine.dataDir, 'uploads'), name);
      sendJson(res, 201, JSON.stringify({ path: file }));
      return;
    }
    if (url === HTTP_EVENTS_ROUTE && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (url.startsWith(PUBLIC_API_PREFIX)) {
      await publicApi(req, res);
      return;
    }
    if (req.method === 'GET' && opts.staticDir && serveStatic(opts.staticDir, url, res, UI_CSP)) return;
    throw new EngineError('NOT_FOUND', `no route ${req.method} ${url.split('?')[0]}`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err) => sendError(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${shownHost}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        offEvents();
        for (const res of sseClients) res.end();
        // in-flight requests finish; keep-alive connections are closed as soon as they go idle
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
