import { closeSync, constants, copyFileSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const { O_WRONLY, O_RDONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

/** Every temp file or folder the engine makes starts so; what a crash leaves is removed at start. */
const TEMP_PREFIX = '.fe-tmp-';
// the names older versions used (`<target>.tmp-<pid>`)
const OLD_TEMP = /\.tmp-\d+$/;

function fsyncPath(file: string, flags: number): void {
  let fd: number;
  try {
    fd = openSync(file, flags | O_NOFOLLOW);
  } catch {
    return; // a folder cannot be opened to sync on every platform: the rename is then as durable as the OS makes it
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder; nothing better to do there
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file that a library opens by path (faiss's write): into a folder just made with a random
 * name and owner-only access, where no one can have planted a link, then renamed over the target
 * (a rename replaces a link at the target, it never writes through it). A crash or an error leaves
 * the target as it was.
 */
export async function writeThroughPrivateDir(file: string, write: (tmp: string) => Promise<void> | void): Promise<void> {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const privateDir = mkdtempSync(path.join(dir, TEMP_PREFIX));
  const tmp = path.join(privateDir, path.basename(file));
  try {
    await write(tmp);
    fsyncPath(tmp, O_RDONLY);
    renameSync(tmp, file);
    fsyncPath(dir, O_RDONLY);
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
}

/** A copy of `source` made `file` the same way (a reflink where the file system has them, else bytes). */
export function copyIntoEngine(source: string, file: string): Promise<void> {
  return writeThroughPrivateDir(file, (tmp) => copyFileSync(source, tmp, constants.COPYFILE_FICLONE));
}

/** Replaces a small file whole: a random temp name, created exclusively, never through a link, synced, renamed. */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const fd = openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncPath(dir, O_RDONLY);
}

/** Removes what an interrupted write left in `dir` (not below it); returns the names removed. */
export function removeTempLeftovers(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no folder yet: a first start
  }
  const stale = names.filter((n) => n.startsWith(TEMP_PREFIX) || OLD_TEMP.test(n));
  // rmSync removes a link itself, never what it points to
  for (const n of stale) rmSync(path.join(dir, n), { recursive: true, force: true });
  return stale;
}
