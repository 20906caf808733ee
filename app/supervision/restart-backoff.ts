export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** a process that ran this long before dying starts the waits over */
  stableMs: number;
}

export const WORKER_BACKOFF: BackoffOptions = { firstMs: 200, maxMs: 30_000, stableMs: 60_000 };

/**
 * How long to wait before starting a crashed process again: doubling from `firstMs` to `maxMs`
 * while it keeps dying soon after each start, never giving up.
 */
export class RestartBackoff {
  private streak = 0;
  private upSince = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: BackoffOptions = WORKER_BACKOFF) {}

  /** The process is running again (at `now`, in ms). */
  started(now: number): void {
    this.upSince = now;
  }

  /** The wait before the next start, for a death at `now`. */
  nextDelay(now: number): number {
    if (now - this.upSince >= this.opts.stableMs) this.streak = 0;
    const delay = Math.min(this.opts.maxMs, this.opts.firstMs * 2 ** this.streak);
    if (delay < this.opts.maxMs) this.streak++;
    return delay;
  }
}
