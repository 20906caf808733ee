import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import { mapPaths } from '../../app/contract/file-paths.js';
import { OPERATIONS, type OpInput, type OpName } from '../../app/contract/operations.js';

/**
 * Which files requests may name: only those inside the allowed directories (the data directory
 * first), or a file the user picked in the desktop app's own dialog, judged after symlinks are
 * resolved so a link cannot lead outside. Relative paths are taken from the data directory: the
 * server's working directory means nothing to a remote client. The engine's own files (its
 * catalogue, its index files) can be read, never overwritten. The engine host applies it to every
 * operation, whatever transport brought it.
 */
export class PathPolicy {
  private readonly allowed: string[];
  private readonly reserved: string[];
  private readonly granted = new Set<string>();

  constructor(dataDir: string, allowDirs: readonly string[] = [], reserved: readonly string[] = []) {
    this.allowed = [dataDir, ...allowDirs].map(real);
    this.reserved = reserved.map(real);
  }

  get dirs(): readonly string[] {
    return this.allowed;
  }

  /** The input of an operation with every path field (see FilePath) checked and made real. */
  inputOf<K extends OpName>(op: K, input: OpInput<K>): OpInput<K> {
    return mapPaths(OPERATIONS[op].input, input, (given, access) => (access === 'read' ? this.readable(given) : this.writable(given))) as OpInput<K>;
  }

  /** A file the user chose in a dialog of the app's own (not a path a page typed) may be read wherever it is. */
  grantRead(given: string): void {
    if (path.isAbsolute(given) && !given.includes('\0')) this.granted.add(real(given));
  }

  /** An existing file to read. */
  readable(given: string): string {
    const file = real(this.resolve(given));
    if (!this.granted.has(file)) this.refuseOutside(given, file);
    if (!existsSync(file)) throw new EngineError('FILE_NOT_FOUND', `no file ${given}`);
    if (!statSync(file).isFile()) throw new EngineError('BAD_FILE', `${given} is not a file`);
    return file;
  }

  /** A file to write (created or replaced): not a folder, not one of the engine's own files. */
  writable(given: string): string {
    const file = real(this.resolve(given));
    this.refuseOutside(given, file);
    if (this.reserved.some((r) => inside(r, file))) throw new EngineError('PATH_NOT_ALLOWED', `${given} is one of the server's own files`);
    if (existsSync(file) && !statSync(file).isFile()) throw new EngineError('BAD_REQUEST', `${given} is not a file`);
    return file;
  }

  private resolve(given: string): string {
    if (given.includes('\0')) throw new EngineError('BAD_REQUEST', 'a path cannot contain a NUL byte');
    return path.resolve(this.allowed[0], given);
  }

  private refuseOutside(given: string, file: string): void {
    if (!this.allowed.some((dir) => inside(dir, file))) {
      throw new EngineError('PATH_NOT_ALLOWED', `${given} is outside the directories this server may use (start it with --allow-dir DIR to add one)`);
    }
  }
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The real path of p, or of its nearest existing ancestor with the rest appended (for files not yet made). */
function real(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let head = abs;
  for (;;) {
    try {
      return path.join(realpathSync(head), ...rest.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      rest.push(path.basename(head));
      head = parent;
    }
  }
}
