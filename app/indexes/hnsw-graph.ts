import type { HnswStats } from '../contract/lab.js';
import { histogram } from '../eval/histogram.js';

// The binding exposes no HNSW internals, but faiss's serialised form of IndexHNSW holds the whole
// graph (faiss/impl/index_write.cpp: write_index_header, then write_HNSW): reading those bytes
// gives every node's level and links without a change to the binding.

const HNSW_FOURCCS = new Set(['IHNf', 'IHNp', 'IHNs', 'IHN2']);

class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fourcc(): string {
    const s = String.fromCharCode(...this.bytes.subarray(this.at, this.at + 4));
    this.at += 4;
    return s;
  }
  i32(): number {
    const v = this.view.getInt32(this.at, true);
    this.at += 4;
    return v;
  }
  u64(): number {
    const v = Number(this.view.getBigUint64(this.at, true));
    this.at += 8;
    return v;
  }
  skip(bytes: number): void {
    this.at += bytes;
  }
  /** a std::vector as faiss writes it: its length (size_t), then the elements */
  vector(elementBytes: 4 | 8): { offset: number; length: number } {
    const length = this.u64();
    const offset = this.at;
    this.skip(length * elementBytes);
    if (this.at > this.bytes.byteLength) throw new RangeError('truncated HNSW graph');
    return { offset, length };
  }
  int32s(v: { offset: number; length: number }): Int32Array {
    // copy: the offset in the buffer need not be 4-aligned (and a Buffer's slice is a view)
    const copy = new Uint8Array(v.length * 4);
    copy.set(this.bytes.subarray(v.offset, v.offset + v.length * 4));
    return new Int32Array(copy.buffer);
  }
  uint64s(v: { offset: number; length: number }): Float64Array {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = Number(this.view.getBigUint64(v.offset + i * 8, true));
    return out;
  }
}

/** Level counts and level-0 out-degrees of a serialised IndexHNSW*, or null for any other index. */
export function hnswStats(serialised: Uint8Array): HnswStats | null {
  const r = new Reader(serialised);
  if (!HNSW_FOURCCS.has(r.fourcc())) return null;
  r.i32(); // d
  r.u64(); // ntotal
  r.skip(8 + 8 + 1); // two unused idx_t, is_trained
  const metric = r.i32();
  if (metric > 1) r.skip(4); // metric_arg
  r.vector(8); // assign_probas (double)
  const cum = r.int32s(r.vector(4));
  const levels = r.int32s(r.vector(4));
  const offsets = r.uint64s(r.vector(8));
  const neighbors = r.int32s(r.vector(4));

  const perLevel: number[] = [];
  const degree = new Int32Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const top = levels[i] - 1; // faiss stores the number of levels a node is on
    perLevel[top] = (perLevel[top] ?? 0) + 1;
    const begin = offsets[i] + cum[0];
    const end = offsets[i] + cum[1];
    let links = 0;
    for (let j = begin; j < end; j++) if (neighbors[j] >= 0) links++;
    degree[i] = links;
  }
  let total = 0;
  let max = 0;
  for (const d of degree) {
    total += d;
    max = Math.max(max, d);
  }
  return {
    levels: Array.from(perLevel, (c) => c ?? 0),
    degree: histogram(degree, 64, true),
    max_degree: max,
    mean_degree: degree.length ? total / degree.length : 0,
  };
}
