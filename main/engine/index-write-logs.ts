import { mkdir } from 'node:fs/promises';
import type { LoggedWrite } from '../../app/indexes/write-log-records.js';
import { logBaseOf, WriteLog } from './write-log.js';

/**
 * The write logs of every index, kept open: the engine host records each add and remove here
 * before answering it, reads them back when it reopens an index, and empties one once a save of
 * its index holds everything. Callers order these per index (SerialLanes).
 */
export class IndexWriteLogs {
  private readonly open = new Map<string, WriteLog>();

  constructor(private readonly dir: string) {}

  /** Opens the log of an index just loaded from `indexFile`: the writes to replay over it. */
  async recover(id: string, indexFile: string): Promise<{ writes: LoggedWrite[]; torn: boolean }> {
    await this.close(id);
    await mkdir(this.dir, { recursive: true });
    const { log, writes, torn } = await WriteLog.open(WriteLog.fileFor(this.dir, id), await logBaseOf(indexFile));
    this.open.set(id, log);
    return { writes, torn };
  }

  /** Appends and syncs one write to an index whose in-memory state is `indexFile` plus its log. */
  async record(id: string, indexFile: string, w: LoggedWrite): Promise<void> {
    let log = this.open.get(id);
    if (!log) {
      // no log was opened since the index was built or loaded: whatever an old one holds is stale
      await mkdir(this.dir, { recursive: true });
      const base = await logBaseOf(indexFile);
      log = (await WriteLog.open(WriteLog.fileFor(this.dir, id), base)).log;
      await log.restart(base);
      this.open.set(id, log);
    }
    await log.append(w);
  }

  /** The write just recorded failed to apply: replay must skip it. */
  async voidLast(id: string): Promise<void> {
    const log = this.open.get(id);
    if (!log) throw new Error(`index ${id} has no open write log`);
    await log.voidLast();
  }

  /** A save wrote every logged write into `indexFile`: the log starts over on that file. */
  async folded(id: string, indexFile: string): Promise<void> {
    await this.open.get(id)?.restart(await logBaseOf(indexFile));
  }

  /** How long an index's log has grown since it last started over. */
  bytes(id: string): number {
    return this.open.get(id)?.bytes ?? 0;
  }

  async remove(id: string): Promise<void> {
    await this.close(id);
    await WriteLog.remove(WriteLog.fileFor(this.dir, id));
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.close(id);
  }

  private async close(id: string): Promise<void> {
    const log = this.open.get(id);
    this.open.delete(id);
    await log?.close();
  }
}
