/** What was running when the worker died: an item being reopened, or indexes with calls in flight. */
export const REOPEN_CRASHES_TO_QUARANTINE = 2;
export const IN_FLIGHT_CRASHES_TO_QUARANTINE = 3;

/**
 * Decides what a run of worker deaths points at. An item (`index:<id>`, `dataset:<id>`) being
 * reopened at two deaths in a row is quarantined: once could be a kill from outside, twice is the
 * item. An index with calls in flight at three deaths in a row is quarantined too.
 */
export class CrashSuspects {
  private reopening: string | null = null;
  private lastReopenCrash: string | null = null;
  private reopenStreak = 0;
  private readonly inFlightStreaks = new Map<string, number>();

  reopeningStarted(key: string): void {
    this.reopening = key;
  }

  reopeningEnded(): void {
    this.reopening = null;
  }

  /** Everything was reopened: the worker got through a whole start. */
  restoreFinished(): void {
    this.lastReopenCrash = null;
    this.reopenStreak = 0;
  }

  /** A worker death, with the indexes whose calls were in flight; returns the keys to quarantine. */
  onDeath(inFlightIndexes: Iterable<string>): string[] {
    const out: string[] = [];
    const key = this.reopening;
    this.reopening = null;
    if (key) {
      this.reopenStreak = key === this.lastReopenCrash ? this.reopenStreak + 1 : 1;
      this.lastReopenCrash = key;
      if (this.reopenStreak >= REOPEN_CRASHES_TO_QUARANTINE) {
        out.push(key);
        this.lastReopenCrash = null;
        this.reopenStreak = 0;
      }
    }
    const hit = new Set([...inFlightIndexes].map((id) => `index:${id}`));
    for (const k of this.inFlightStreaks.keys()) if (!hit.has(k)) this.inFlightStreaks.delete(k);
    for (const k of hit) {
      const n = (this.inFlightStreaks.get(k) ?? 0) + 1;
      this.inFlightStreaks.set(k, n);
      if (n >= IN_FLIGHT_CRASHES_TO_QUARANTINE && !out.includes(k)) {
        out.push(k);
        this.inFlightStreaks.delete(k);
      }
    }
    return out;
  }
}
