import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EngineError, fromErrorValue } from '../../app/contract/errors.js';
import { V1_ROUTES } from '../../app/contract/public-api.js';
import { HTTP_EVENTS_ROUTE, HTTP_OP_PREFIX, HTTP_UPLOAD_ROUTE, PUBLIC_API_PREFIX } from '../../app/contract/routes.js';
import { decodeWire, encodeWire } from '../../app/contract/wire.js';
import { isWildcardAddress } from '../../app/serve/loopback.js';
import { guardRequest, type GuardConfig } from '../../app/serve/request-guard.js';
import { readSavedCatalogue } from '../engine/catalogue.js';
import type { EngineHost } from '../engine/engine-host.js';
import { BodyBudget } from './body-budget.js';
import { capConnections } from './connection-cap.js';
import { readBody, sendError, sendJson } from './http-io.js';
import { loopbackAddressOf } from './listen-host.js';
import { createPublicApi, type PublicApiOptions } from './public-api.js';
import { newSessionToken, requestAuthorized, secretMatches, sessionCookie, sessionCookieName } from './session.js';
import { serveStatic } from './static-files.js';
import { UploadFolder, type UploadLimits } from './upload.js';
import { matchRoute } from './v1-request.js';
import { LIMITS } from '../../app/contract/limits.js';

/** How many connections, and for how long, slow or idle clients may hold. */
export interface ConnectionLimits {
  maxConnections: number;
  /** to receive a request's headers, counted from its first byte */
  headersTimeoutMs: number;
  /** to receive a whole request, body included (uploads are bodies of gigabytes) */
  requestTimeoutMs: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveTimeoutMs: number;
}

export interface HttpServerOptions {
  engine: EngineHost;
  host: string;
  port: number;
  /**
   * Browser mode: the built renderer, with the page's own routes (operations, events, uploads)
   * behind a per-launch token. Without it the server is the public /v1 API alone (serve, the Serve switch).
   */
  staticDir?: string;
  token?: string;
  bodyLimit?: number;
  /** bytes of request bodies held in memory at once, over all requests */
  bodyBudget?: number;
  uploads?: UploadLimits;
  limits?: Partial<ConnectionLimits>;
  /** v1 API settings: allowed directories, k limit, batching */
  publicApi?: Omit<PublicApiOptions, 'engine' | 'bodyLimit'>;
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** the address to open: in browser mode it carries the launch's token, traded for a cookie on first load */
  launchUrl: string;
  /** what scripts send as `Authorization: Bearer`; none on a token-less loopback API server */
  token?: string;
  close(): Promise<void>;
}

/** Where `serve` and the desktop app's Serve switch listen by default (see shared/API.md). */
export const API_PORT = 7391;
export const DEFAULT_LIMITS: ConnectionLimits = { maxConnections: 256, headersTimeoutMs: 10_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 5_000 };
// no 'unsafe-eval' (plotly's strict build); inline styles are plotly's own
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type RouteKind = 'v1' | 'op' | 'upload' | 'events' | 'page';

function routeKind(pathname: string): RouteKind {
  if (pathname.startsWith(PUBLIC_API_PREFIX)) return 'v1';
  if (pathname.startsWith(HTTP_OP_PREFIX)) return 'op';
  if (pathname === HTTP_UPLOAD_ROUTE) return 'upload';
  if (pathname === HTTP_EVENTS_ROUTE) return 'events';
  return 'page';
}

function takesBytes(kind: RouteKind, method: string, pathname: string): boolean {
  if (kind === 'upload') return true;
  const match = kind === 'v1' ? matchRoute(method, pathname) : null;
  return match !== null && 'binaryQuery' in V1_ROUTES[match.name];
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const bindTo = opts.token ? opts.host : await loopbackAddressOf(opts.host);
  if (bindTo === null) {
    throw new EngineError('UNAUTHORIZED', `refusing to listen on ${opts.host} without --token: only loopback addresses are open without one`);
  }
  const ui = opts.staticDir !== undefined;
  // browser mode always has a secret: any page the user visits could otherwise reach the engine
  const token = opts.token ?? (ui ? newSessionToken() : undefined);
  const limit = opts.bodyLimit ?? LIMITS.bodyBytes;
  const budget = new BodyBudget(Math.max(opts.bodyBudget ?? 2 * limit, limit));
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const publicApi = createPublicApi({ ...opts.publicApi, engine: opts.engine, bodyLimit: limit });
  const uploads = ui ? new UploadFolder(path.join(opts.engine.dataDir, 'uploads'), opts.uploads) : null;
  // only against a catalogue that could be read: an unreadable one says nothing about what is in use
  const saved = readSavedCatalogue(opts.engine.dataDir);
  if (saved) uploads?.clean(new Set(saved.datasets.flatMap((d) => (d.source.kind === 'file' ? [d.source.path] : []))), Date.now() - limits.requestTimeoutMs);
  const sseClients = new Set<ServerResponse>();
  const offEvents = ui
    ? opts.engine.onEvent((e) => {
        const line = `data: ${JSON.stringify(e)}\n\n`;
        for (const res of sseClients) res.write(line);
      })
    : () => undefined;
  let guard: GuardConfig;
  let cookieName: string | null = null;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://server');
    const method = req.method ?? 'GET';
    const kind = routeKind(url.pathname);
    const hasBody = Number(req.headers['content-length']) > 0 || req.headers['transfer-encoding'] !== undefined;
    const refusal = guardRequest(guard, {
      method,
      host: req.headers.host,
      origin: req.headers.origin,
      fetchSite: req.headers['sec-fetch-site'] as string | undefined,
      contentType: req.headers['content-type'],
      hasBody,
      binaryOk: takesBytes(kind, method, url.pathname),
      api: kind !== 'page',
    });
    if (refusal) throw fromErrorValue(refusal);
    if (kind !== 'v1' && !ui) throw new EngineError('NOT_FOUND', `no route ${method} ${url.pathname}: this server is the /v1 API`);
    // only a body holds memory; most requests have none
    if (hasBody) budget.attach(req, res);
    if (kind === 'page' && method === 'GET' && token && url.searchParams.has('token')) return tradeToken(res, url, token);
    if (token && !requestAuthorized(req, token, cookieName)) {
      if (kind === 'page') return askForLaunchUrl(res);
      throw new EngineError('UNAUTHORIZED', 'missing or wrong token: send Authorization: Bearer TOKEN');
    }
    if (kind === 'op' && method === 'POST') {
      const op = url.pathname.slice(HTTP_OP_PREFIX.length);
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
    if (kind === 'upload' && method === 'POST' && uploads) {
      const file = await uploads.receive(req, url.searchParams.get('name') ?? '');
      sendJson(res, 201, JSON.stringify({ path: file }));
      return;
    }
    if (kind === 'events' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (kind === 'v1') return publicApi(req, res);
    if (method === 'GET' && opts.staticDir && serveStatic(opts.staticDir, url.pathname, res, UI_CSP)) return;
    throw new EngineError('NOT_FOUND', `no route ${method} ${url.pathname}`);
  }

  /** The printed URL's token becomes a cookie the page's own requests carry, and leaves the address bar. */
  function tradeToken(res: ServerResponse, url: URL, secret: string): void {
    if (!secretMatches(url.searchParams.get('token') ?? '', secret)) return askForLaunchUrl(res);
    res.writeHead(303, { location: url.pathname, 'set-cookie': sessionCookie(cookieName!, secret), 'cache-control': 'no-store' });
    res.end();
  }

  const server = createServer(
    {
      requireHostHeader: false, // a missing Host is answered by the guard, with its code
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      route(req, res).catch((err) => sendError(res, err));
    },
  );
  capConnections(server, limits.maxConnections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, bindTo, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  guard = { host: opts.host, port: addr.port, anyAddress: isWildcardAddress(opts.host) };
  cookieName = ui ? sessionCookieName(addr.port) : null;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost}:${addr.port}/`;
  return {
    server,
    url,
    launchUrl: ui && token ? `${url}?token=${encodeURIComponent(token)}` : url,
    token,
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

function askForLaunchUrl(res: ServerResponse): void {
  const text = 'This page needs the address faiss-explorer printed when it started: it carries a token for this launch.\n';
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}
