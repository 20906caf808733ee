import type { EngineError } from '../../contract/errors.js';
import type { ReadLimits } from './claims.js';
import { FloatBuffer } from './float-buffer.js';
import { JsonValueSplitter } from './json-values.js';
import { MetadataColumnBuilder } from './metadata-column.js';
import { clip, count, fileError, type Place } from './place.js';
import type { StreamReader, VectorTable } from './types.js';
import { DEFAULT_VECTOR_FIELDS } from './vector-fields.js';

export interface JsonRecordsOptions {
  /** the field holding the vector; default 'embedding', else 'vector' */
  field?: string;
  /** 'jsonl': one record after another; 'json': also accepts one array of records */
  format: 'jsonl' | 'json';
  totalBytes?: number;
  /** the dataset memory budget the vectors must fit in */
  limits?: ReadLimits;
}

const decoder = new TextDecoder('utf-8');

/** Python's json.dumps writes NaN and Infinity, which JSON.parse refuses: read them as null, then report them. */
const NON_FINITE_TOKEN = /(?<=[[,:]\s*)-?(?:NaN|Infinity)(?=\s*[\],}])/g;

/**
 * Streams JSON Lines (or a JSON array) of records into float32 rows: one field holds the vector,
 * every other field becomes a metadata column. A record may also be a bare array of numbers.
 */
export class JsonRecordsReader implements StreamReader<VectorTable> {
  private readonly splitter: JsonValueSplitter;
  private readonly out: FloatBuffer;
  private readonly columns = new Map<string, MetadataColumnBuilder>();
  private field: string | null = null;
  private dim = -1;
  private rows = 0;
  private bytesSeen = 0;
  private estimated = false;

  constructor(private readonly opts: JsonRecordsOptions) {
    this.out = new FloatBuffer(1 << 16, opts.limits);
    this.splitter = new JsonValueSplitter(opts.format === 'jsonl' ? 'sequence' : null, (bytes, index, line, byte) =>
      this.record(bytes, { row: index, line, byte }),
    );
  }

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
    this.bytesSeen += chunk.length;
    if (!this.estimated && this.opts.totalBytes && this.rows >= 16) {
      this.estimated = true;
      this.out.reserve(Math.ceil(((this.rows * this.opts.totalBytes) / this.bytesSeen) * 1.02) * this.dim);
    }
  }

  end(): VectorTable {
    this.splitter.end();
    if (this.rows === 0) throw fileError('EMPTY_FILE', 'the file holds no records');
    const metadata = [...this.columns.values()].map((b) => {
      b.padTo(this.rows);
      return b.finish();
    });
    return { n: this.rows, dim: this.dim, base: this.out.finish(), dtype: 'text', metadata: metadata.length ? metadata : undefined };
  }

  private record(bytes: Uint8Array, place: Place): void {
    const { value, patched } = parse(decoder.decode(bytes), place);
    let vector: unknown;
    if (Array.isArray(value)) vector = value;
    else {
      const obj = value as Record<string, unknown>;
      const field = this.field ?? (this.field = this.chooseField(obj, place));
      if (!(field in obj)) throw fileError('MISSING_FIELD', `record has no field "${field}" (it has: ${fieldList(obj)})`, place);
      vector = obj[field];
      for (const key in obj) if (key !== field) this.meta(key, obj[key]);
      for (const b of this.columns.values()) b.padTo(this.rows + 1);
    }
    this.vector(vector, patched, place);
    this.rows++;
  }

  private chooseField(obj: Record<string, unknown>, place: Place): string {
    if (this.opts.field !== undefined) return this.opts.field;
    const found = DEFAULT_VECTOR_FIELDS.find((f) => f in obj);
    if (found) return found;
    throw fileError('MISSING_FIELD', `record has neither "embedding" nor "vector" (it has: ${fieldList(obj)}); choose the vector's field`, place);
  }

  private vector(vector: unknown, patched: boolean, place: Place): void {
    const field = this.field ?? undefined;
    if (!Array.isArray(vector)) {
      const what = vector === null ? 'null' : typeof vector;
      throw fileError('NOT_NUMERIC', `${field ? `field "${field}"` : 'record'} is ${what}, not a list of numbers`, place);
    }
    if (this.dim < 0) {
      if (vector.length === 0) throw fileError('BAD_DIMENSION', 'the first vector is empty', place);
      this.dim = vector.length;
    } else if (vector.length !== this.dim) {
      throw fileError('RAGGED_ROWS', `${count(vector.length, 'number')} where the first vector has ${this.dim}`, { ...place, field });
    }
    const dest = this.out.claim(this.dim);
    for (let j = 0; j < vector.length; j++) {
      const v: unknown = vector[j];
      if (typeof v !== 'number') throw this.badElement(v, j, patched, place);
      const stored = Math.fround(v);
      if (stored - stored !== 0) throw fileError('NON_FINITE', `value ${v} is too large for float32`, { ...place, column: j });
      dest[j] = stored;
    }
  }

  private badElement(v: unknown, j: number, patched: boolean, place: Place): EngineError {
    const at = { ...place, column: j };
    if (v === null && patched) return fileError('NON_FINITE', 'value NaN or Infinity (not a finite number)', at);
    return fileError('NOT_NUMERIC', `value ${clip(JSON.stringify(v) ?? String(v))} is not a number`, at);
  }

  private meta(key: string, value: unknown): void {
    let b = this.columns.get(key);
    if (!b) this.columns.set(key, (b = new MetadataColumnBuilder(key, this.rows)));
    if (value === null || value === undefined) b.push(null);
    else if (typeof value === 'number' || typeof value === 'string') b.push(value);
    else if (typeof value === 'boolean') b.push(String(value));
    else b.push(JSON.stringify(value));
  }
}

function parse(text: string, place: Place): { value: unknown; patched: boolean } {
  try {
    return { value: JSON.parse(text), patched: false };
  } catch (err) {
    const patched = text.replace(NON_FINITE_TOKEN, 'null');
    if (patched !== text) {
      try {
        return { value: JSON.parse(patched), patched: true };
      } catch {
        // fall through to the original error
      }
    }
    throw fileError('BAD_FILE', `record is not valid JSON (${(err as Error).message})`, place);
  }
}

function fieldList(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  return keys.length ? keys.slice(0, 12).join(', ') + (keys.length > 12 ? ', …' : '') : 'no fields';
}
