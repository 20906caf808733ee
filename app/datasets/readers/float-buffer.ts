import { checkMemoryClaim, type ReadLimits } from './claims.js';

/**
 * A Float32Array that grows by doubling, for formats whose row count is known only at the end.
 * Plain number arrays would cost ~4x the memory and a copy per row.
 */
export class FloatBuffer {
  private data: Float32Array;
  length = 0;

  constructor(
    initialCapacity = 1 << 16,
    /** the dataset memory budget: growing past what it has left is refused, not attempted */
    private readonly limits?: ReadLimits,
  ) {
    this.data = new Float32Array(Math.max(16, initialCapacity));
  }

  get capacity(): number {
    return this.data.length;
  }

  /** Makes room for at least `total` values at once (e.g. from an estimate of the row count). */
  reserve(total: number): void {
    if (total <= this.data.length) return;
    checkMemoryClaim(`the vectors read so far (${this.length.toLocaleString('en-US')} values, growing)`, total, this.limits);
    const next = new Float32Array(total);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.data.length * 2);
    this.data[this.length++] = value;
  }

  /** Returns a writable window for `count` values and counts them as written. */
  claim(count: number): Float32Array {
    const need = this.length + count;
    if (need > this.data.length) this.reserve(Math.max(need, this.data.length * 2));
    const view = this.data.subarray(this.length, need);
    this.length = need;
    return view;
  }

  /** Drops the last `count` values (a row that turned out bad). */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** The values as an exact-length array; copies only when there is spare capacity. */
  finish(): Float32Array {
    const out = this.length === this.data.length ? this.data : this.data.slice(0, this.length);
    this.data = new Float32Array(0);
    return out;
  }
}
