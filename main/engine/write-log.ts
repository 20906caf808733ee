import { constants, type Stats } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { decodeLog, encodeHeader, encodeVoid, encodeWrite, FRAME_BYTES, HEADER_BYTES, sameBase, type LogBase, type LoggedWrite } from '../../app/indexes/write-log-records.js';

const { O_RDWR, O_CREAT, O_NOFOLLOW } = constants;

/** the end frame written after every record: the log's end stays marked, so a torn record is told apart */
const END_FRAME = new Uint8Array(FRAME_BYTES);
const GROW_MIN_BYTES = 1 << 20;
/** written-ahead space a log keeps when it starts over; more is given back to the disk */
const KEEP_BYTES = 64 << 20;
const ZEROS = new Uint8Array(4 << 20);

/** The identity of the index file a log applies to: a save replaces the file, and with it the inode. */
export async function logBaseOf(indexFile: string): Promise<LogBase> {
  const s = (await stat(indexFile, { bigint: true })) as unknown as { ino: bigint; size: bigint } & Omit<Stats, 'ino' | 'size'>;
  return { ino: s.ino, size: s.size };
}

const newSalt = () => randomBytes(4).readUInt32LE(0);

/**
 * One index's log of acknowledged writes, `<id>.wal` beside its file: appended and synced before
 * a write is answered, replayed over the index file at start, started over once a save has folded
 * it in. A log whose header names another file than the index's (a save replaced the file, then
 * the process died before the log started over) holds writes that file already has: it is ignored.
 *
 * Its space is written (with zeros) ahead of the records and kept when it starts over, so that
 * syncing a record syncs data only: appending to a file would also commit its new size to the
 * file system's journal, which costs about as much again, and more while other files are written.
 */
export class WriteLog {
  private constructor(
    private readonly fh: FileHandle,
    /** the index file this log's writes apply over */
    private base: LogBase,
    private salt: number,
    /** where the next record goes; null until the log has a header of its own */
    private end: number | null,
    /** bytes of the file written so far (records and zeros ahead of them) */
    private allocated: number,
  ) {}

  static fileFor(dir: string, id: string): string {
    return path.join(dir, `${id}.wal`);
  }

  /** Opens (creating if need be) the log; returns the writes it holds over `base` and whether a torn record was cut off. */
  static async open(file: string, base: LogBase): Promise<{ log: WriteLog; writes: LoggedWrite[]; torn: boolean }> {
    // never through a link planted at the log's name
    const fh = await open(file, O_RDWR | O_CREAT | O_NOFOLLOW, 0o600);
    try {
      const bytes = await fh.readFile();
      const decoded = decodeLog(bytes);
      if (decoded.base && sameBase(decoded.base, base)) {
        const log = new WriteLog(fh, base, decoded.salt, decoded.validBytes, bytes.length);
        // the end is marked again, so that the torn bytes are not taken for a record, nor reported twice
        if (decoded.torn) await log.writeAndSync([END_FRAME], decoded.validBytes);
        return { log, writes: decoded.writes, torn: decoded.torn };
      }
      return { log: new WriteLog(fh, base, 0, null, bytes.length), writes: [], torn: !decoded.base && decoded.torn };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** bytes of header and records */
  get bytes(): number {
    return this.end ?? 0;
  }

  append(w: LoggedWrite): Promise<void> {
    return this.appendRecord(() => encodeWrite(w, this.salt));
  }

  /** Takes back the last record appended: its apply failed, so replay must not apply it. */
  voidLast(): Promise<void> {
    return this.appendRecord(() => encodeVoid(this.salt));
  }

  /** Empties the log and points it at `base`, the file a save just wrote with every logged write in it. */
  async restart(base: LogBase): Promise<void> {
    // a new salt: the records of the log before, still in the file's space, no longer check out
    const salt = newSalt();
    if (this.allocated > KEEP_BYTES) {
      await this.fh.truncate(KEEP_BYTES);
      this.allocated = KEEP_BYTES;
    }
    await this.writeAndSync([encodeHeader(base, salt), END_FRAME], 0);
    this.allocated = Math.max(this.allocated, HEADER_BYTES + FRAME_BYTES);
    this.base = base;
    this.salt = salt;
    this.end = HEADER_BYTES;
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  static async remove(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  private async appendRecord(encode: () => Uint8Array): Promise<void> {
    if (this.end === null) await this.restart(this.base);
    const at = this.end as number;
    const record = encode();
    const needed = at + record.length + FRAME_BYTES;
    try {
      if (needed > this.allocated) await this.growTo(needed);
      await this.writeAndSync([record, END_FRAME], at);
    } catch (err) {
      // a record that may be half on disk is cut off by marking the end before it again
      await this.writeAndSync([END_FRAME], at).catch(() => undefined);
      throw err;
    }
    this.end = at + record.length;
  }

  /** Writes zeros ahead, in steps that double, so that records then land in space the file already has. */
  private async growTo(needed: number): Promise<void> {
    const target = Math.max(needed + GROW_MIN_BYTES, this.allocated * 2);
    for (let at = this.allocated; at < target; at += ZEROS.length) {
      const length = Math.min(ZEROS.length, target - at);
      const { bytesWritten } = await this.fh.write(ZEROS, 0, length, at);
      if (bytesWritten !== length) throw new Error(`the disk took ${bytesWritten} of ${length} bytes (full?)`);
    }
    // synced with the record that needed the space
    this.allocated = target;
  }

  private async writeAndSync(parts: Uint8Array[], at: number): Promise<void> {
    const { bytesWritten } = await this.fh.writev(parts, at);
    const length = parts.reduce((n, p) => n + p.length, 0);
    if (bytesWritten !== length) throw new Error(`the disk took ${bytesWritten} of ${length} bytes (full?)`);
    await this.fh.datasync();
  }
}
