import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { EngineError, HTTP_STATUS, toErrorValue } from '../../app/contract/errors.js';

/** Reads a request body up to a limit; past it the request is refused with 413, not buffered. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new EngineError('BODY_TOO_LARGE', `request body of ${declared} bytes is over the ${limit}-byte limit`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new EngineError('BODY_TOO_LARGE', `request body is over the ${limit}-byte limit`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Every error leaves as {"error":{code,message}} with the status its code stands for. */
export function sendError(res: ServerResponse, err: unknown): void {
  const error = toErrorValue(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, HTTP_STATUS[error.code] ?? 400, JSON.stringify({ error }));
}

/** Constant-time token check, so the answer time says nothing about how much of it matched. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
