import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { EngineError } from '../../app/contract/errors.js';

/** Largest file a browser may hand to the engine (the page cannot give a path instead). */
export const UPLOAD_LIMIT = 16 * 2 ** 30;

/** Keeps the file's own name readable but harmless: no folders, no dot-files, no odd bytes. */
export function safeUploadName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  if (!base) throw new EngineError('BAD_REQUEST', 'the uploaded file needs a name');
  return base.slice(-200);
}

/**
 * Streams a request body into `dir` under the file's own name (prefixed so uploads never clash),
 * through a temporary file, so a broken upload leaves nothing behind. Answers the final path.
 */
export async function receiveUpload(req: IncomingMessage, dir: string, name: string, limit = UPLOAD_LIMIT): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomBytes(3).toString('hex')}-${safeUploadName(name)}`);
  const tmp = `${file}.part`;
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) done(new EngineError('BODY_TOO_LARGE', `uploads are limited to ${limit} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(tmp));
    renameSync(tmp, file);
    return file;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
