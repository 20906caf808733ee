import assert from 'node:assert/strict';
import { EngineError } from '../../../../app/contract/errors.js';
import type { StreamReader } from '../../../../app/datasets/readers/types.js';

/**
 * Feeds `bytes` to a reader in chunks of `size` through one reused buffer, as the file pump does,
 * so a reader that keeps a reference to a chunk instead of copying it fails here.
 */
export function feed<T>(reader: StreamReader<T>, bytes: Uint8Array, size = bytes.length || 1): T {
  const scratch = new Uint8Array(size);
  for (let pos = 0; pos < bytes.length; pos += size) {
    const part = bytes.subarray(pos, pos + size);
    scratch.set(part);
    reader.push(scratch.subarray(0, part.length));
    scratch.fill(0xee); // poison what a careless reader might have kept
  }
  return reader.end();
}

/** Runs `fn` and checks the EngineError's code and that its message names the place. */
export function throwsCode(fn: () => unknown, code: string, place?: RegExp): EngineError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  return checkError(caught, code, place);
}

export async function rejectsCode(p: Promise<unknown>, code: string, place?: RegExp): Promise<EngineError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  return checkError(caught, code, place);
}

function checkError(caught: unknown, code: string, place?: RegExp): EngineError {
  assert.ok(caught instanceof EngineError, `expected an EngineError ${code}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (place) assert.match(caught.message, place);
  return caught;
}

export const text = (s: string) => new TextEncoder().encode(s);

/** A .npy file's bytes, as numpy would write them (version 1.0, header padded to 64 bytes). */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, opts: { fortran?: boolean; rawDescr?: string } = {}): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': ${opts.rawDescr ?? `'${descr}'`}, 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const unpadded = 10 + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const header = `${dict}${' '.repeat(pad)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(text(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
