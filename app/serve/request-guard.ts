import type { ErrorValue } from '../contract/errors.js';
import { isAddressLiteral, isLoopbackAddress, unbracket } from './loopback.js';

/** Who the server is: what a request's Host may name. */
export interface GuardConfig {
  /** the host the server was told to listen on (`--host`) */
  host: string;
  /** the port it listens on */
  port: number;
  /** it listens on every interface: any address literal may name it (a literal cannot be rebound) */
  anyAddress: boolean;
}

/** The parts of a request the guard looks at, as plain strings. */
export interface GuardRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  fetchSite: string | undefined;
  contentType: string | undefined;
  /** the request declares a body (content-length above 0, or chunked) */
  hasBody: boolean;
  /** this route also takes raw bytes */
  binaryOk: boolean;
  /** an API call (/api/, /v1/) rather than a page or an asset */
  api: boolean;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `name:port` of a Host header, port 80 when absent; null when it cannot be a host. */
export function parseHostHeader(value: string): { name: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return null;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  return port <= 65535 ? { name: m[1].toLowerCase(), port } : null;
}

function hostAllowed(cfg: GuardConfig, value: string | undefined): boolean {
  const parsed = value === undefined ? null : parseHostHeader(value);
  if (!parsed || parsed.port !== cfg.port) return false;
  const { name } = parsed;
  return name === 'localhost' || isLoopbackAddress(name) || unbracket(name) === unbracket(cfg.host) || (cfg.anyAddress && isAddressLiteral(name));
}

/** The media type of a Content-Type header, without its parameters. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Whether a request may reach a route, checked before anything else (the Jupyter / VS Code model
 * of a local server): a Host that is not this server's means DNS rebinding; a foreign Origin or a
 * cross-site fetch means another page is driving the user's browser; a body that is not JSON is
 * what a page can send without a CORS preflight (text/plain, forms). Null lets it through.
 */
export function guardRequest(cfg: GuardConfig, req: GuardRequest): ErrorValue | null {
  if (!hostAllowed(cfg, req.host)) {
    return { code: 'BAD_HOST', message: `this server answers to localhost, 127.0.0.1 or ${cfg.host} on port ${cfg.port}, not "${req.host ?? ''}"` };
  }
  if (req.origin !== undefined && req.origin.toLowerCase() !== `http://${req.host!.toLowerCase()}`) {
    return { code: 'CROSS_SITE', message: `requests from ${req.origin} are refused: only this server's own page may call it` };
  }
  if (req.fetchSite === 'cross-site' || (req.api && req.fetchSite === 'same-site')) {
    return { code: 'CROSS_SITE', message: `a ${req.fetchSite} request is refused: only this server's own page may call it` };
  }
  if (WRITES.has(req.method) && (req.hasBody || req.contentType !== undefined)) {
    const type = mediaType(req.contentType);
    const ok = type === 'application/json' || (req.binaryOk && type === 'application/octet-stream') || (!req.hasBody && type === '');
    if (!ok) {
      const wanted = req.binaryOk ? 'application/json or application/octet-stream' : 'application/json';
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: `a ${req.method} body must be ${wanted}, not "${type || 'untyped'}"` };
    }
  }
  return null;
}
