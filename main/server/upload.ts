import { createWriteStream, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { EngineError } from '../../app/contract/errors.js';

/** Largest file a browser may hand to the engine (the page cannot give a path instead). */
export const UPLOAD_LIMIT = 16 * 2 ** 30;
/** Most the uploads folder may hold in all. */
export const UPLOAD_QUOTA = 32 * 2 ** 30;
/** Free disk an upload must leave, so an upload never fills the disk the catalogue is saved on. */
const DISK_RESERVE = 2 ** 30;
const PART = '.part';

/** Keeps the file's own name readable but harmless: no folders, no dot-files, no odd bytes. */
export function safeUploadName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  if (!base) throw new EngineError('BAD_REQUEST', 'the uploaded file needs a name');
  return base.slice(-200);
}

export interface UploadLimits {
  /** largest single file */
  file?: number;
  /** most the folder holds, finished uploads and those in flight together */
  quota?: number;
}

/**
 * The folder a browser page streams its picked files into, with a quota over all of them. Uploads
 * side by side reserve their bytes as they are promised (the declared length) or arrive, so that
 * together they cannot pass the quota that each would have seen alone.
 */
export class UploadFolder {
  /** bytes promised to uploads in flight */
  private reserved = 0;
  /** bytes of finished uploads in the folder, as last counted (and added to as uploads finish) */
  private stored = 0;
  private readonly file: number;
  private readonly quota: number;

  constructor(
    readonly dir: string,
    limits: UploadLimits = {},
  ) {
    this.file = limits.file ?? UPLOAD_LIMIT;
    this.quota = limits.quota ?? UPLOAD_QUOTA;
  }

  /**
   * At start: partial files (an upload cut off by a crash) and uploads that no saved dataset names,
   * last written before `before`, are removed, so abandoned uploads do not eat the quota for good.
   */
  clean(keep: ReadonlySet<string>, before: number): string[] {
    const removed: string[] = [];
    for (const name of this.names()) {
      const file = path.join(this.dir, name);
      // anything newer may be another instance's upload still arriving or not yet opened
      const recent = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (recent < before && (name.endsWith(PART) || !keep.has(file))) {
        rmSync(file, { force: true });
        removed.push(file);
      }
    }
    return removed;
  }

  /**
   * Streams a request body into the folder under the file's own name (with a random prefix, so
   * uploads never clash), through a temporary file created exclusively, so a broken upload leaves
   * nothing behind and a planted link is never followed. Answers the final path.
   */
  async receive(req: IncomingMessage, name: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${randomBytes(8).toString('hex')}-${safeUploadName(name)}`);
    this.stored = this.storedBytes();
    const disk = this.freeDisk();
    let mine = 0;
    const reserve = (size: number) => {
      if (size > this.file) throw new EngineError('BODY_TOO_LARGE', `uploads are limited to ${this.file} bytes`);
      const room = Math.min(this.quota - this.stored - this.reserved + mine, disk);
      if (size > room) throw new EngineError('QUOTA_EXCEEDED', `the uploads folder has room for ${Math.max(0, room)} more bytes, this upload is ${size}`);
      this.reserved += size - mine;
      mine = size;
    };
    const tmp = `${file}${PART}`;
    let size = 0;
    try {
      try {
        reserve(Number(req.headers['content-length']) || 0);
      } catch (err) {
        req.resume();
        throw err;
      }
      const counter = new Transform({
        transform: (chunk: Buffer, _enc, done) => {
          size += chunk.length;
          try {
            if (size > mine) reserve(size);
            done(null, chunk);
          } catch (err) {
            done(err as Error);
          }
        },
      });
      await pipeline(req, counter, createWriteStream(tmp, { flags: 'wx' }));
      renameSync(tmp, file);
      this.stored += size;
      return file;
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err instanceof EngineError ? err : new EngineError('BAD_REQUEST', `the upload of "${name}" did not complete: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.reserved -= mine;
    }
  }

  /** What the finished uploads in the folder take. */
  private storedBytes(): number {
    let used = 0;
    for (const name of this.names()) {
      if (name.endsWith(PART)) continue;
      try {
        used += lstatSync(path.join(this.dir, name)).size;
      } catch {
        // removed while we looked
      }
    }
    return used;
  }

  /** Free disk an upload may take: it never fills the disk the catalogue is saved on. */
  private freeDisk(): number {
    try {
      const fs = statfsSync(this.dir);
      return fs.bavail * fs.bsize - DISK_RESERVE;
    } catch {
      return Infinity; // no statfs here: the quota alone applies
    }
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir);
    } catch {
      return [];
    }
  }
}
