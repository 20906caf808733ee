/**
 * Orders reads and writes per lane (one lane per index) and merges concurrent reads that share a
 * key (same k and parameters) into one call: one faiss search over many queries costs far less
 * than as many single-query searches (BLAS, one message to the worker instead of many).
 *
 * Ordering: a write waits for every read queued before it and runs alone; reads queued after a
 * write wait for it, so they see what it wrote. Reads between two writes commute, so they may
 * merge and run in any order.
 *
 * When a batch runs: reads gather while the lane is busy. Once it is free, a batch runs when it
 * is full, or when as much has arrived since as the batch just answered (the clients it answered
 * are back: no one else is coming), or at the latest `windowMs` later. Counting arrivals instead
 * of only timing them keeps concurrent clients in one batch even when they are slow to return.
 */
export interface BatcherOptions<Q, R> {
  /** the longest a batch waits for company once the lane could run it */
  windowMs: number;
  /** a batch is due at once when its items weigh this much (weight: query rows, say) */
  maxWeight: number;
  /** batches of one lane that may run at the same time */
  maxRunning: number;
  weight(item: Q): number;
  /** runs one batch; answers one result per item, in order */
  runBatch(lane: string, items: Q[]): Promise<R[]>;
}

interface Waiter<Q, R> {
  item: Q;
  resolve(result: R): void;
  reject(err: unknown): void;
}

interface ReadBatch<Q, R> {
  kind: 'read';
  key: string;
  waiters: Waiter<Q, R>[];
  weight: number;
  due: boolean;
  timer: NodeJS.Timeout | null;
}

interface Write {
  kind: 'write';
  fn(): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Lane<Q, R> {
  queue: (ReadBatch<Q, R> | Write)[];
  runningReads: number;
  writing: boolean;
  /** weight the last finished batch answered: as much is expected back (0: unknown) */
  expected: number;
  /** weight arrived since the lane last finished something */
  arrived: number;
}

export class SearchBatcher<Q, R> {
  private readonly lanes = new Map<string, Lane<Q, R>>();

  constructor(private readonly opts: BatcherOptions<Q, R>) {}

  /** Queues a read; items with the same key may be merged into one batch. */
  read(laneId: string, key: string, item: Q): Promise<R> {
    const lane = this.lane(laneId);
    const weight = this.opts.weight(item);
    return new Promise<R>((resolve, reject) => {
      const batch = this.joinable(lane, key, weight) ?? this.open(lane, key);
      batch.waiters.push({ item, resolve, reject });
      batch.weight += weight;
      lane.arrived += weight;
      if (batch.weight >= this.opts.maxWeight) this.makeDue(batch);
      this.pump(laneId, lane);
    });
  }

  /** Queues a write: it runs alone, after everything queued before it. */
  write<T>(laneId: string, fn: () => Promise<T>): Promise<T> {
    const lane = this.lane(laneId);
    return new Promise<T>((resolve, reject) => {
      lane.queue.push({ kind: 'write', fn, resolve: resolve as (value: unknown) => void, reject });
      this.pump(laneId, lane);
    });
  }

  /** Drops an idle lane (its index is gone); a busy one stays until it is idle. */
  forget(laneId: string): void {
    const lane = this.lanes.get(laneId);
    if (lane && this.idle(lane)) this.lanes.delete(laneId);
  }

  /** Lanes known; each remembers how many callers it last answered. */
  get laneCount(): number {
    return this.lanes.size;
  }

  private idle(lane: Lane<Q, R>): boolean {
    return lane.queue.length === 0 && lane.runningReads === 0 && !lane.writing;
  }

  private lane(id: string): Lane<Q, R> {
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { queue: [], runningReads: 0, writing: false, expected: 0, arrived: 0 };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  /** A not yet started batch with this key and room, after the last queued write. */
  private joinable(lane: Lane<Q, R>, key: string, weight: number): ReadBatch<Q, R> | null {
    for (let i = lane.queue.length - 1; i >= 0; i--) {
      const e = lane.queue[i];
      if (e.kind === 'write') return null;
      if (e.key === key && e.weight + weight <= this.opts.maxWeight) return e;
    }
    return null;
  }

  private open(lane: Lane<Q, R>, key: string): ReadBatch<Q, R> {
    const batch: ReadBatch<Q, R> = { kind: 'read', key, waiters: [], weight: 0, due: false, timer: null };
    lane.queue.push(batch);
    return batch;
  }

  private makeDue(batch: ReadBatch<Q, R>): void {
    batch.due = true;
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
  }

  private canRead(lane: Lane<Q, R>): boolean {
    return !lane.writing && lane.runningReads < this.opts.maxRunning;
  }

  /** Starts whatever may start now, in queue order; opens the windows of batches left waiting. */
  private pump(laneId: string, lane: Lane<Q, R>): void {
    for (let i = 0; i < lane.queue.length && !lane.writing; ) {
      const e = lane.queue[i];
      if (e.kind === 'write') {
        if (i === 0 && lane.runningReads === 0) {
          lane.queue.shift();
          this.startWrite(laneId, lane, e);
        }
        break;
      }
      if (!this.canRead(lane)) break;
      if (!e.due && lane.expected > 0 && lane.arrived >= lane.expected) this.makeDue(e);
      if (e.due) {
        lane.queue.splice(i, 1);
        this.startRead(laneId, lane, e);
        continue;
      }
      e.timer ??= setTimeout(() => {
        e.timer = null;
        e.due = true;
        this.pump(laneId, lane);
      }, this.opts.windowMs);
      i++;
    }
  }

  /** The lane has room again: expect back the callers just answered (0 after a write: unknown). */
  private finished(laneId: string, lane: Lane<Q, R>, answered: number): void {
    lane.expected = answered;
    lane.arrived = 0;
    this.pump(laneId, lane);
  }

  // the lane moves on before callers hear back, so a caller sees the lane as it left it
  private startRead(laneId: string, lane: Lane<Q, R>, batch: ReadBatch<Q, R>): void {
    lane.runningReads++;
    const { waiters } = batch;
    const done = () => {
      lane.runningReads--;
      this.finished(laneId, lane, batch.weight);
    };
    Promise.resolve()
      .then(() => this.opts.runBatch(laneId, waiters.map((w) => w.item)))
      .then(
        (results) => {
          done();
          waiters.forEach((w, i) => w.resolve(results[i]));
        },
        (err: unknown) => {
          done();
          waiters.forEach((w) => w.reject(err));
        },
      );
  }

  private startWrite(laneId: string, lane: Lane<Q, R>, write: Write): void {
    lane.writing = true;
    const done = () => {
      lane.writing = false;
      this.finished(laneId, lane, 0);
    };
    Promise.resolve()
      .then(write.fn)
      .then(
        (value) => {
          done();
          write.resolve(value);
        },
        (err: unknown) => {
          done();
          write.reject(err);
        },
      );
  }
}
