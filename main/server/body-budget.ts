import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError } from '../../app/contract/errors.js';

/** What one request holds of the budget; given back when its answer is sent (the parsed body lives until then). */
export interface BodyLease {
  /** holds `bytes` more, or throws SERVER_BUSY when the budget has no room for them */
  take(bytes: number): void;
}

const leases = new WeakMap<IncomingMessage, BodyLease>();

/**
 * The bytes of request bodies the server holds in memory at once, across every request: a limit per
 * request alone lets eight concurrent 60 MB bodies take a gigabyte.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly total: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Opens the request's lease; it is given back when the response closes, however it ends. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    let held = 0;
    leases.set(req, {
      take: (bytes) => {
        if (this.used + bytes > this.total) {
          throw new EngineError('SERVER_BUSY', `the server is holding ${this.used} bytes of request bodies, its budget is ${this.total}: retry shortly`);
        }
        this.used += bytes;
        held += bytes;
      },
    });
    res.once('close', () => {
      this.used -= held;
      held = 0;
    });
  }
}

/** The lease a server opened for this request; none for a request read outside a server (no budget). */
export function leaseOf(req: IncomingMessage): BodyLease | undefined {
  return leases.get(req);
}
