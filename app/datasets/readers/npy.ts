import { nonFinite, checkFiniteRange, firstNonFinite } from './finite.js';
import { PLATFORM_LITTLE_ENDIAN, type ElementType } from './element-types.js';
import { npyPreambleLength, parseNpyHeader, type NpyHeader } from './npy-header.js';
import { checkDataClaim, checkMemoryClaim, type ReadLimits } from './claims.js';
import { fileError } from './place.js';
import type { StreamReader, VectorMemory, VectorTable } from './types.js';

const HEAP: VectorMemory = { alloc: (length) => new Float32Array(length), firstNonFinite };

/**
 * Streams a .npy file into float32 rows. The header gives the exact size, so the output is
 * allocated once; float32 little-endian C-order data is copied as raw bytes.
 */
export class NpyReader implements StreamReader<VectorTable> {
  private head: Uint8Array = new Uint8Array(0);
  private header: NpyHeader | null = null;
  private n = 0;
  private dim = 0;
  private out: Float32Array = new Float32Array(0);
  private outBytes: Uint8Array = new Uint8Array(0);
  private rawCopy = false;
  private element: ElementType | null = null;
  private littleEndian = true;
  /** elements decoded so far (general path) or bytes copied (raw path) */
  private done = 0;
  private dataBytes = 0;
  private extraBytes = 0;
  private readonly carry = new Uint8Array(8);
  private carryLength = 0;

  constructor(
    private readonly memory: VectorMemory = HEAP,
    /** the bytes the file (or archive entry) holds, and the memory budget, to check the header against */
    private readonly bounds: { totalBytes?: number; limits?: ReadLimits } = {},
  ) {}

  push(chunk: Uint8Array): void {
    if (this.header) return this.data(chunk);
    const head = new Uint8Array(this.head.length + chunk.length);
    head.set(this.head);
    head.set(chunk, this.head.length);
    this.head = head;
    const need = npyPreambleLength(head);
    if (need < 0 || head.length < need) return;
    this.start(parseNpyHeader(head));
    const rest = head.subarray(need);
    this.head = new Uint8Array(0);
    this.data(rest);
  }

  end(): VectorTable {
    if (!this.header) {
      if (this.head.length === 0) throw fileError('EMPTY_FILE', 'the .npy file is empty');
      throw fileError('FILE_TRUNCATED', 'the .npy file ends inside its header', { byte: this.head.length });
    }
    const { element, dataOffset } = this.header;
    const expected = this.n * this.dim * element.size;
    const got = this.rawCopy ? this.done : this.done * element.size + this.carryLength;
    if (got < expected) {
      const row = Math.floor(got / element.size / this.dim);
      throw fileError('FILE_TRUNCATED', `the .npy data stops after ${got} of ${expected} bytes for shape (${this.header.shape.join(', ')})`, {
        row: this.header.fortranOrder ? undefined : row,
        byte: dataOffset + got,
      });
    }
    if (this.extraBytes > 0) {
      throw fileError('BAD_FILE', `${this.extraBytes} bytes follow the array data that shape (${this.header.shape.join(', ')}) describes`, { byte: dataOffset + expected });
    }
    return { n: this.n, dim: this.dim, base: this.out, dtype: element.name };
  }

  private start(header: NpyHeader): void {
    const { shape } = header;
    if (shape.length === 0 || shape.length > 2) {
      throw fileError('BAD_DIMENSION', `a ${shape.length}-D array (shape (${shape.join(', ')})) is not a set of vectors: expected (n, d) or (d,)`, { byte: 8 });
    }
    const [n, dim] = shape.length === 1 ? [1, shape[0]] : shape;
    if (dim === 0) throw fileError('BAD_DIMENSION', `vectors of dimension 0 (shape (${shape.join(', ')}))`, { byte: 8 });
    if (n === 0) throw fileError('EMPTY_FILE', `the array has no rows (shape (${shape.join(', ')}))`, { byte: 8 });
    const dataBytes = n * dim * header.element.size;
    const what = `shape (${shape.join(', ')}) of ${header.element.name}`;
    if (this.bounds.totalBytes !== undefined) {
      const available = Math.max(0, this.bounds.totalBytes - header.dataOffset);
      // the place is where the data stops: the row it stops in, for row-major data
      const row = header.fortranOrder ? undefined : Math.floor(available / (dim * header.element.size));
      checkDataClaim(what, dataBytes, available, { row, byte: header.dataOffset + available });
    }
    checkMemoryClaim(`the array (${what})`, n * dim, this.bounds.limits);
    this.header = header;
    this.n = n;
    this.dim = dim;
    this.dataBytes = dataBytes;
    this.out = this.memory.alloc(n * dim);
    this.outBytes = new Uint8Array(this.out.buffer);
    this.element = header.element;
    this.littleEndian = header.littleEndian;
    const contiguous = !header.fortranOrder || n === 1 || dim === 1;
    this.rawCopy = header.element.name === 'float32' && header.littleEndian === PLATFORM_LITTLE_ENDIAN && contiguous;
  }

  private data(bytes: Uint8Array): void {
    if (this.rawCopy) return this.copyRaw(bytes);
    const size = this.element!.size;
    const total = this.n * this.dim;
    let pos = 0;
    if (this.carryLength > 0) {
      const take = Math.min(size - this.carryLength, bytes.length);
      this.carry.set(bytes.subarray(0, take), this.carryLength);
      this.carryLength += take;
      pos = take;
      if (this.carryLength < size) return;
      this.carryLength = 0;
      if (this.done < total) this.emit(this.element!.read(new DataView(this.carry.buffer), 0, this.littleEndian));
      else this.extraBytes += size;
    }
    const whole = Math.min(Math.floor((bytes.length - pos) / size), total - this.done);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { read } = this.element!;
    const le = this.littleEndian;
    for (let i = 0; i < whole; i++, pos += size) this.emit(read(view, pos, le));
    const left = bytes.length - pos;
    if (this.done === total) this.extraBytes += left;
    else if (left > 0) {
      this.carry.set(bytes.subarray(pos), 0);
      this.carryLength = left;
    }
  }

  /** Places element number `done` (in file order) at its row-major position. */
  private emit(value: number): void {
    const k = this.done++;
    const fortran = this.header!.fortranOrder;
    const row = fortran ? k % this.n : Math.floor(k / this.dim);
    const col = fortran ? Math.floor(k / this.n) : k % this.dim;
    const stored = Math.fround(value);
    if (stored - stored !== 0) throw nonFinite(value, row, col);
    this.out[row * this.dim + col] = stored;
  }

  slot(): Uint8Array | null {
    return this.rawCopy && this.done < this.dataBytes ? this.outBytes.subarray(this.done, this.dataBytes) : null;
  }

  filled(bytes: number): void {
    const from = Math.floor(this.done / 4);
    this.done += bytes;
    checkFiniteRange(this.out, from, Math.floor(this.done / 4), this.dim, 0, 'value', this.memory.firstNonFinite);
  }

  private copyRaw(bytes: Uint8Array): void {
    const take = Math.min(bytes.length, this.dataBytes - this.done);
    this.outBytes.set(bytes.subarray(0, take), this.done);
    this.filled(take);
    this.extraBytes += bytes.length - take;
  }
}
