import { EngineError } from '../../app/contract/errors.js';
import type { V1SearchAnswer } from '../../app/contract/public-api.js';
import { checkVectors } from '../../app/datasets/vectors.js';

/** Neighbours of n queries, k each, row-major; label -1 where there is no neighbour. */
export interface Neighbours {
  n: number;
  k: number;
  distances: Float32Array;
  labels: Float64Array;
  ignored_params: string[];
}

/** A little-endian float32 request body as n vectors of dim. */
export function decodeFloat32(body: Buffer, dim: number): Float32Array {
  const n = body.length / (4 * dim);
  if (body.length === 0 || !Number.isInteger(n)) {
    throw new EngineError('BAD_DIMENSION', `a body of ${body.length} bytes is not whole float32 vectors of ${dim} dims`);
  }
  // one copy into an aligned buffer; the wire format is little-endian, as every platform we run on
  const out = new Float32Array(n * dim);
  new Uint8Array(out.buffer).set(body);
  return checkVectors(out, dim);
}

/** The JSON answer: rows per query; faiss pads missing neighbours with label -1 and a huge distance, sent as null. */
export function jsonAnswer(r: Neighbours, tookMs: number): V1SearchAnswer {
  const distances: (number | null)[][] = [];
  const labels: number[][] = [];
  for (let q = 0; q < r.n; q++) {
    const d: (number | null)[] = new Array(r.k);
    const l: number[] = new Array(r.k);
    for (let j = 0, at = q * r.k; j < r.k; j++, at++) {
      l[j] = r.labels[at];
      d[j] = l[j] < 0 ? null : r.distances[at];
    }
    distances.push(d);
    labels.push(l);
  }
  return { distances, labels, took_ms: tookMs, ignored_params: r.ignored_params };
}

/** The binary answer: float32 distances [n*k], then int64 labels [n*k], little-endian. */
export function binaryAnswer(r: Neighbours): Buffer {
  const count = r.n * r.k;
  const out = Buffer.allocUnsafe(count * 12);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < count; i++) view.setFloat32(i * 4, r.distances[i], true);
  // labels are exact doubles below 2^53: split into the two 32-bit halves of an int64
  for (let i = 0, at = count * 4; i < count; i++, at += 8) {
    const high = Math.floor(r.labels[i] / 2 ** 32);
    view.setUint32(at, r.labels[i] - high * 2 ** 32, true);
    view.setInt32(at + 4, high, true);
  }
  return out;
}
