import { checkFiniteRange } from './finite.js';
import { FloatBuffer } from './float-buffer.js';
import { PLATFORM_LITTLE_ENDIAN } from './element-types.js';
import type { ReadLimits } from './claims.js';
import { fileError } from './place.js';
import type { StreamReader, VectorTable } from './types.js';

export type VecsKind = 'fvecs' | 'ivecs' | 'bvecs';

const ELEMENT = {
  fvecs: { size: 4, dtype: 'float32' },
  ivecs: { size: 4, dtype: 'int32' },
  bvecs: { size: 1, dtype: 'uint8' },
} as const;

/** Larger than any embedding; a bigger "dimension" means the file is not in this format. */
const MAX_DIM = 1 << 20;

/**
 * Streams the TEXMEX layout (SIFT/GIST): each vector is a little-endian int32 dimension followed
 * by that many elements. Every record must repeat the first record's dimension.
 */
export class VecsReader implements StreamReader<VectorTable> {
  private readonly size: number;
  private dim = 0;
  private rows = 0;
  private offset = 0;
  private readonly out: FloatBuffer;
  private readonly dimBytes = new Uint8Array(4);
  private dimFill = 0;
  /** bytes of the current record's body still to come; -1 while reading its dimension */
  private bodyLeft = -1;
  private record = new Uint8Array(0);
  private recordFill = 0;

  constructor(
    private readonly kind: VecsKind,
    /** the file's size when known, to allocate the output once */
    private readonly totalBytes?: number,
    limits?: ReadLimits,
  ) {
    this.size = ELEMENT[kind].size;
    this.out = new FloatBuffer(1 << 10, limits);
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLeft < 0) {
        const take = Math.min(4 - this.dimFill, chunk.length - pos);
        this.dimBytes.set(chunk.subarray(pos, pos + take), this.dimFill);
        this.dimFill += take;
        pos += take;
        if (this.dimFill === 4) this.startRecord();
        continue;
      }
      const take = Math.min(this.bodyLeft, chunk.length - pos);
      if (this.recordFill === 0 && take === this.record.length) {
        this.finishRecord(chunk.subarray(pos, pos + take)); // whole body in this chunk: no staging copy
      } else {
        this.record.set(chunk.subarray(pos, pos + take), this.recordFill);
        this.recordFill += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.finishRecord(this.record);
      }
      pos += take;
    }
  }

  end(): VectorTable {
    if (this.rows === 0 && this.dimFill === 0 && this.bodyLeft < 0) throw fileError('EMPTY_FILE', `the .${this.kind} file is empty`);
    if (this.bodyLeft >= 0 || this.dimFill > 0) {
      throw fileError('FILE_TRUNCATED', `the .${this.kind} file ends inside a vector`, { row: this.rows, byte: this.offset + this.dimFill + this.recordFill });
    }
    return { n: this.rows, dim: this.dim, base: this.out.finish(), dtype: ELEMENT[this.kind].dtype };
  }

  private startRecord(): void {
    const d = new DataView(this.dimBytes.buffer).getInt32(0, true);
    if (this.rows === 0) {
      if (d <= 0 || d > MAX_DIM) {
        throw fileError('BAD_DIMENSION', `the first vector declares dimension ${d}: not a .${this.kind} file (int32 dimension before each vector)`, { row: 0, byte: 0 });
      }
      this.dim = d;
      this.record = new Uint8Array(d * this.size);
      if (this.totalBytes !== undefined) this.out.reserve(Math.floor(this.totalBytes / (4 + d * this.size)) * d);
    } else if (d !== this.dim) {
      throw fileError('BAD_DIMENSION', `vector declares dimension ${d}, the first vector has ${this.dim}`, { row: this.rows, byte: this.offset });
    }
    this.bodyLeft = this.record.length;
    this.recordFill = 0;
  }

  private finishRecord(body: Uint8Array): void {
    const dest = this.out.claim(this.dim);
    if (this.kind === 'fvecs' && PLATFORM_LITTLE_ENDIAN) {
      new Uint8Array(dest.buffer, dest.byteOffset, dest.byteLength).set(body);
      checkFiniteRange(dest, 0, this.dim, this.dim, this.rows);
    } else if (this.kind === 'bvecs') {
      dest.set(body);
    } else {
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const float = this.kind === 'fvecs';
      for (let j = 0; j < this.dim; j++) dest[j] = float ? view.getFloat32(j * 4, true) : view.getInt32(j * 4, true);
      if (float) checkFiniteRange(dest, 0, this.dim, this.dim, this.rows);
    }
    this.rows++;
    this.offset += 4 + body.length;
    this.dimFill = 0;
    this.bodyLeft = -1;
    this.recordFill = 0;
  }
}
