import { constants, type Stats } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { decodeLog, encodeHeader, encodeWrite, sameBase, type LogBase, type LoggedWrite } from '../../app/indexes/write-log-records.js';

const { O_RDWR, O_CREAT, O_APPEND, O_NOFOLLOW } = constants;

/** The identity of the index file a log applies to: a save replaces the file, and with it the inode. */
export async function logBaseOf(indexFile: string): Promise<LogBase> {
  const s = (await stat(indexFile, { bigint: true })) as unknown as { ino: bigint; size: bigint } & Omit<Stats, 'ino' | 'size'>;
  return { ino: s.ino, size: s.size };
}

/**
 * One index's log of acknowledged writes, `<id>.wal` beside its file: appended and fsynced before
 * a write is answered, replayed over the index file at start, emptied once a save has folded it in.
 * A log whose header names another file than the index's (a save replaced the file, then the
 * process died before emptying the log) holds writes that file already has: it is ignored.
 */
export class WriteLog {
  private constructor(
    private readonly fh: FileHandle,
    private hasHeader: boolean,
  ) {}

  static fileFor(dir: string, id: string): string {
    return path.join(dir, `${id}.wal`);
  }

  /** Opens (creating if need be) the log; returns the writes it holds over `base` and the torn bytes cut off. */
  static async open(file: string, base: LogBase): Promise<{ log: WriteLog; writes: LoggedWrite[]; tornBytes: number }> {
    // never through a link planted at the log's name
    const fh = await open(file, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600);
    try {
      const bytes = await fh.readFile();
      const decoded = decodeLog(bytes);
      if (decoded.base && sameBase(decoded.base, base)) {
        const tornBytes = bytes.length - decoded.validBytes;
        // later appends must follow the last whole record, not the torn bytes
        if (tornBytes > 0) await fh.truncate(decoded.validBytes);
        return { log: new WriteLog(fh, true), writes: decoded.writes, tornBytes };
      }
      const log = new WriteLog(fh, false);
      return { log, writes: [], tornBytes: decoded.base ? 0 : bytes.length };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async append(base: LogBase, w: LoggedWrite): Promise<void> {
    if (!this.hasHeader) await this.restart(base);
    await this.fh.write(encodeWrite(w));
    await this.fh.datasync();
  }

  /** Empties the log and points it at `base`, the file a save just wrote with every logged write in it. */
  async restart(base: LogBase): Promise<void> {
    await this.fh.truncate(0);
    await this.fh.write(encodeHeader(base));
    await this.fh.datasync();
    this.hasHeader = true;
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  static async remove(file: string): Promise<void> {
    await rm(file, { force: true });
  }
}
