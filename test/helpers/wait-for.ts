export interface WaitOptions {
  /** how long to keep trying before failing */
  timeoutMs?: number;
  /** the pause between tries */
  intervalMs?: number;
  /** what is awaited, for the failure message */
  what?: string;
}

/**
 * Polls `cond` until it gives a truthy value and returns that value; fails after `timeoutMs`.
 * For tests: a condition with a deadline instead of a fixed sleep or an endless loop.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 10, what = 'a condition' }: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
