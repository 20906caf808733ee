import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError, HTTP_STATUS, toErrorValue } from '../../app/contract/errors.js';
import { leaseOf } from './body-budget.js';

/**
 * Reads a request body up to a limit; past it the request is refused with 413, not buffered. The
 * server's body budget is taken for the declared length up front (chunked bodies as they come), so a
 * body that would not fit is refused with 503 before its bytes are read.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const lease = leaseOf(req);
    const declared = Number(req.headers['content-length']) || 0;
    const refuse = (err: unknown) => {
      reject(err);
      req.removeAllListeners('data');
      req.resume();
    };
    if (declared > limit) return refuse(new EngineError('BODY_TOO_LARGE', `request body of ${declared} bytes is over the ${limit}-byte limit`));
    try {
      lease?.take(declared);
    } catch (err) {
      return refuse(err);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) return refuse(new EngineError('BODY_TOO_LARGE', `request body is over the ${limit}-byte limit`));
      try {
        if (size > declared) lease?.take(Math.min(c.length, size - declared));
      } catch (err) {
        return refuse(err);
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * How long an error answered before its request's body was read keeps reading (and discarding) the
 * rest of that body before the connection closes. A client that writes its whole body before it
 * reads (Node's, most scripts') would otherwise meet a closed socket (EPIPE) and never see the code;
 * the answer itself is sent at once, and the wait is bounded so a slow sender cannot hold the slot.
 */
const LINGER_MS = 2000;

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  const req = res.req;
  if (req.complete || req.destroyed) {
    res.end(body);
    return;
  }
  res.write(body);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(end, LINGER_MS);
  req.once('end', end);
  req.once('close', end);
  req.resume();
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
