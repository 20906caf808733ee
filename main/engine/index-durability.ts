import { EngineError, toErrorValue } from '../../app/contract/errors.js';
import type { IndexInfo } from '../../app/contract/operations.js';
import type { LoggedWrite } from '../../app/indexes/write-log-records.js';
import type { Catalogue } from './catalogue-state.js';
import type { IndexWriteLogs } from './index-write-logs.js';
import type { RequestChannel } from './request-channel.js';
import { SerialLanes } from './serial-lanes.js';

/**
 * A log is folded into its index file once it holds a quarter of the file (within 16 and 256 MiB):
 * a fold rewrites the whole file, so folding after every pause in the writes would rewrite a 5 GB
 * index for one added vector, while the log already makes each write durable. The bounds keep a
 * reopening's replay short.
 */
export function foldLogAt(indexBytes: number): number {
  return Math.min(Math.max(indexBytes / 4, 16 * 2 ** 20), 256 * 2 ** 20);
}

export interface IndexDurabilityOptions {
  catalogue: Catalogue;
  channel: RequestChannel;
  writeLogs: IndexWriteLogs;
  workerAlive: () => boolean;
  log: (line: string) => void;
  /** false only to measure what durability costs (the bench): writes then live until the next save */
  logWrites?: boolean;
}

/**
 * Writes to indexes that survive a crash: each is logged before it is answered, and folded into
 * the index's file shortly after, batched. Per index, writes, saves, reopenings and the drop run
 * one at a time, in its lane.
 */
export class IndexDurability {
  readonly lanes = new SerialLanes();
  /** indexes whose log holds writes their file does not: folded when the engine stops */
  private readonly dirty = new Set<string>();

  constructor(private readonly opts: IndexDurabilityOptions) {}

  /** Loads an index's file and replays its write log over it: the state every acknowledged write left. Runs in the index's lane. */
  async reopen(ix: IndexInfo & { path: string }): Promise<void> {
    const { catalogue, channel, writeLogs } = this.opts;
    const loaded = await channel.call('loadIndex', { id: ix.id, path: ix.path, metric: ix.metric });
    const { writes, torn } = await writeLogs.recover(ix.id, ix.path);
    if (torn) this.opts.log(`[engine] index ${ix.id}: a record torn at the end of its write log was dropped`);
    let ntotal = loaded.ntotal;
    for (const w of writes) {
      try {
        ntotal = (await this.apply(ix.id, w)).ntotal;
      } catch (err) {
        // applies are deterministic: one that fails now failed when it was asked (a crash came before its void record)
        if (!this.opts.workerAlive() || toErrorValue(err).code === 'WORKER_RESTARTED') throw err;
        this.opts.log(`[engine] index ${ix.id}: a logged ${w.kind} that fails to apply was skipped: ${toErrorValue(err).message}`);
      }
    }
    catalogue.indexes.set(ix.id, { ...ix, ntotal, status: 'ready' });
    if (writes.length) this.dirty.add(ix.id);
  }

  /**
   * Applies an add or remove in the worker while its record is appended to the index's log and
   * synced, and answers once both are done: an answered write survives a crash of the worker or of
   * this process. A write whose apply fails is voided in the log before its error is answered.
   */
  write(id: string, w: LoggedWrite): Promise<{ ntotal: number; removed?: number }> {
    const { catalogue, writeLogs } = this.opts;
    return this.lanes.run(id, async () => {
      const ix = catalogue.readyIndex(id);
      if (this.opts.logWrites === false) {
        const out = await this.apply(id, w);
        this.afterWrite(id, out.ntotal);
        return out;
      }
      const file = ix.path ?? catalogue.ownPath(id);
      const [applied, logged] = await Promise.allSettled([this.apply(id, w), writeLogs.record(id, file, w)]);
      const voided = applied.status === 'rejected' && logged.status === 'fulfilled' ? await writeLogs.voidLast(id).then(() => null, (err: unknown) => err) : null;
      const storageError = logged.status === 'rejected' ? logged.reason : voided;
      if (storageError) {
        // the worker and the log may disagree: bring the index back to what file and log say
        await this.reopen({ ...ix, path: file }).catch(() => catalogue.indexes.set(id, { ...ix, status: 'failed', error: toErrorValue(storageError) }));
        throw new EngineError('STORAGE_ERROR', `the write could not be made durable, so it was undone: ${toErrorValue(storageError).message}`);
      }
      if (applied.status === 'rejected') throw applied.reason;
      this.afterWrite(id, applied.value.ntotal);
      if (writeLogs.bytes(id) > foldLogAt(ix.memory_bytes ?? 0)) {
        this.dirty.delete(id);
        // queued in the lane behind this write
        void this.fold(id).catch((err) => this.opts.log(`[engine] could not save index ${id}: ${toErrorValue(err).message}`));
      }
      return applied.value;
    });
  }

  /** Saves an index to its own file now, with every write it has taken. */
  save(id: string): Promise<void> {
    this.dirty.delete(id);
    return this.fold(id);
  }

  /** The index is gone: no save is owed for it. */
  forget(id: string): void {
    this.dirty.delete(id);
  }

  /** Folds what is owed now; the engine is stopping. */
  async flush(): Promise<void> {
    if (this.opts.workerAlive() && this.dirty.size) await this.flushSaves();
  }

  private apply(id: string, w: LoggedWrite): Promise<{ ntotal: number; removed?: number }> {
    const { channel } = this.opts;
    return w.kind === 'add' ? channel.call('addVectors', { id, data: w.vectors, ids: w.ids }) : channel.call('removeVectors', { id, ids: w.ids });
  }

  /** A write is durable once logged; the file takes it in when the log is long enough (foldLogAt), or at stop. */
  private afterWrite(id: string, ntotal: number): void {
    const ix = this.opts.catalogue.indexes.get(id);
    if (ix) this.opts.catalogue.indexes.set(id, { ...ix, ntotal });
    this.dirty.add(id);
  }

  private async flushSaves(): Promise<void> {
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      await this.fold(id).catch((err) => this.opts.log(`[engine] could not save index ${id}: ${toErrorValue(err).message}`));
    }
  }

  /**
   * Saves an index to its own file and empties its log: in its lane, so no write falls between
   * the two. The catalogue names the new file before the log lets go of its writes.
   */
  private fold(id: string): Promise<void> {
    const { catalogue, channel, writeLogs } = this.opts;
    return this.lanes.run(id, async () => {
      const ix = catalogue.indexes.get(id);
      if (!ix || ix.status !== 'ready') return;
      const file = catalogue.ownPath(id);
      const { memory_bytes } = await channel.call('saveIndex', { id, path: file });
      catalogue.indexes.set(id, { ...ix, memory_bytes, path: file });
      catalogue.persist();
      await writeLogs.folded(id, file);
    });
  }
}
