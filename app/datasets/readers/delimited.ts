import { RecordScanner, type RecordView } from './delimited-records.js';
import type { EngineError } from '../../contract/errors.js';
import type { ReadLimits } from './claims.js';
import { FloatBuffer } from './float-buffer.js';
import { MetadataColumnBuilder } from './metadata-column.js';
import { count, fileError, quote } from './place.js';
import { isNanToken, parseNumberBytes } from './text-number.js';
import type { MetadataColumn, StreamReader, VectorTable } from './types.js';

export interface DelimitedOptions {
  /** ',' ';' or '\t'; sniffed from the first line when absent */
  delimiter?: string;
  /** RFC 4180 quotes; off for TSV, whose cells may contain a literal '"' */
  quoting?: boolean;
  /** columns (0-based) that form the vector; every other column becomes metadata */
  columns?: number[];
  /** every column is metadata (a metadata.tsv next to vectors.tsv) */
  metadataOnly?: boolean;
  /** whether the first row is a header, possibly decided from the number of columns; detected when absent */
  header?: boolean | ((width: number) => boolean);
  /** the file's size, to reserve the output from a row-count estimate */
  totalBytes?: number;
  /** the dataset memory budget the vectors must fit in */
  limits?: ReadLimits;
}

export interface DelimitedTable extends VectorTable {
  /** column names from the header row, or null without one */
  header: string[] | null;
}

/**
 * Numeric columns that are row identifiers or class labels, not coordinates: pandas' unnamed
 * index column ('' or 'Unnamed: 0') and the usual id/label names. Chosen columns override this.
 */
const NOT_A_COORDINATE = /^(|unnamed: ?\d+|id|index|idx|label|labels|class|target|category)$/i;

const decoder = new TextDecoder('utf-8');

/** A record copied out of the scanner's buffer, kept until the layout is decided. */
type HeldRecord = RecordView;

/**
 * Streams CSV/TSV into float32 rows plus metadata columns. The first two records decide the
 * layout: whether there is a header, and which columns are numeric (the vector) or not
 * (metadata); every later row must match it.
 */
export class DelimitedReader implements StreamReader<DelimitedTable> {
  private scanner: RecordScanner | null = null;
  private held: HeldRecord[] = [];
  private decided = false;
  private header: string[] | null = null;
  private width = 0;
  private vectorColumns = new Int32Array(0);
  private metaColumns: { index: number; builder: MetadataColumnBuilder }[] = [];
  private readonly out: FloatBuffer;
  private rows = 0;
  private bytesSeen = 0;
  private estimated = false;

  constructor(private readonly opts: DelimitedOptions = {}) {
    this.out = new FloatBuffer(1 << 16, opts.limits);
  }

  push(chunk: Uint8Array): void {
    if (!this.scanner) {
      const delimiter = this.opts.delimiter ?? sniffDelimiter(chunk);
      this.scanner = new RecordScanner(delimiter.charCodeAt(0), this.opts.quoting ?? delimiter !== '\t', (r) => this.record(r));
    }
    this.scanner.push(chunk);
    this.bytesSeen += chunk.length;
    this.reserveFromEstimate();
  }

  end(): DelimitedTable {
    this.scanner?.end();
    if (!this.decided) {
      if (this.held.length === 0) throw fileError('EMPTY_FILE', 'the file has no rows');
      this.decide();
    }
    if (this.rows === 0) throw fileError('EMPTY_FILE', 'the file has a header but no data rows', { line: 2 });
    const dim = this.vectorColumns.length;
    const metadata: MetadataColumn[] = this.metaColumns.map((m) => m.builder.finish(true));
    return { n: this.rows, dim, base: this.out.finish(), dtype: 'text', header: this.header, metadata: metadata.length ? metadata : undefined };
  }

  private record(r: RecordView): void {
    if (r.count === 1 && r.starts[0] === r.ends[0]) return; // blank line
    if (this.decided) return this.row(r);
    this.held.push(hold(r));
    if (this.held.length === 2) this.decide();
  }

  /** Picks header and column roles from the first (one or two) records, then replays them. */
  private decide(): void {
    this.decided = true;
    const [first, second] = this.held;
    const rule = this.opts.header;
    const hasHeader = typeof rule === 'function' ? rule(first.count) : (rule ?? (!this.opts.metadataOnly && looksLikeHeader(first, second)));
    this.width = first.count;
    this.header = hasHeader ? Array.from({ length: first.count }, (_, c) => cellText(first, c)) : null;
    const sample = hasHeader ? second : first;
    const numeric = (rec: HeldRecord, c: number) => c < rec.count && isNumberCell(rec, c);
    if (!sample) throw fileError('EMPTY_FILE', 'the file has a header but no data rows', { line: first.line + 1 });

    let vector: number[];
    if (this.opts.metadataOnly) vector = [];
    else if (this.opts.columns) {
      vector = this.opts.columns;
      const bad = vector.find((c) => !Number.isInteger(c) || c < 0 || c >= this.width);
      if (bad !== undefined) throw fileError('MISSING_FIELD', `column ${bad} was chosen as part of the vector, but the file has ${this.width} columns`, { line: first.line });
    } else {
      vector = [];
      for (let c = 0; c < this.width; c++) {
        const named = this.header?.[c];
        if (numeric(sample, c) && !(named !== undefined && NOT_A_COORDINATE.test(named.trim()))) vector.push(c);
      }
      if (vector.length === 0) {
        throw fileError('NOT_NUMERIC', 'no column holds numbers, so there is no vector', { row: 0, line: sample.line, byte: sample.byte });
      }
    }
    this.vectorColumns = Int32Array.from(vector);
    const chosen = new Set(vector);
    for (let c = 0; c < this.width; c++) {
      if (!chosen.has(c)) this.metaColumns.push({ index: c, builder: new MetadataColumnBuilder(this.header?.[c] || `column ${c}`) });
    }
    const replay = hasHeader ? this.held.slice(1) : this.held;
    this.held = [];
    for (const rec of replay) this.row(rec);
  }

  private row(r: RecordView): void {
    if (r.count !== this.width) {
      throw fileError('RAGGED_ROWS', `${count(r.count, 'cell')} where the first row has ${this.width}`, { row: this.rows, line: r.line, byte: r.byte });
    }
    const { bytes, starts, ends } = r;
    const cols = this.vectorColumns;
    const dest = this.out.claim(cols.length);
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k];
      const v = parseNumberBytes(bytes, starts[c], ends[c]);
      const stored = Math.fround(v);
      if (stored - stored !== 0) throw this.badCell(r, c, v);
      dest[k] = stored;
    }
    for (const { index, builder } of this.metaColumns) {
      builder.push(starts[index] === ends[index] ? null : cellText(r, index));
    }
    this.rows++;
  }

  private badCell(r: RecordView, c: number, v: number): EngineError {
    const place = { row: this.rows, column: c, field: this.header?.[c], line: r.line, byte: r.byte + r.starts[c] - r.offset };
    const text = quote(cellText(r, c));
    if (Number.isNaN(v) && !isNanToken(r.bytes, r.starts[c], r.ends[c])) return fileError('NOT_NUMERIC', `cell ${text} is not a number`, place);
    if (!Number.isFinite(v)) return fileError('NON_FINITE', `cell ${text} is not a finite number`, place);
    return fileError('NON_FINITE', `cell ${text} is too large for float32`, place);
  }

  /** After the first chunk, reserve room for the rows the whole file will likely hold. */
  private reserveFromEstimate(): void {
    const total = this.opts.totalBytes;
    if (this.estimated || !total || this.rows < 16 || this.bytesSeen === 0) return;
    this.estimated = true;
    const rows = Math.ceil((this.rows * total) / this.bytesSeen * 1.02);
    this.out.reserve(rows * this.vectorColumns.length);
  }
}

function hold(r: RecordView): HeldRecord {
  const from = r.offset;
  const to = r.ends[r.count - 1];
  const shift = (a: Int32Array) => a.slice(0, r.count).map((x) => x - from);
  return {
    offset: 0,
    bytes: r.bytes.slice(from, Math.max(to, from)),
    starts: shift(r.starts),
    ends: shift(r.ends),
    escaped: r.escaped.slice(0, r.count),
    count: r.count,
    line: r.line,
    byte: r.byte,
  };
}

/**
 * A first row is a header when some column holds text there and a number in the next row, when
 * it is pandas' default 0,1,2,... labels, or (with no second row) when it holds no number at all.
 */
function looksLikeHeader(first: HeldRecord, second: HeldRecord | undefined): boolean {
  const columns = Array.from({ length: first.count }, (_, c) => c);
  if (!second) return columns.every((c) => !isNumberCell(first, c));
  const textOverNumber = columns.some((c) => !isNumberCell(first, c) && c < second.count && isNumberCell(second, c));
  return textOverNumber || (isPandasLabels(first) && !isPandasLabels(second));
}

/** pandas writes a frame made from a bare array with header 0,1,2,...: numbers, but a header all the same. */
function isPandasLabels(r: HeldRecord): boolean {
  for (let c = 0; c < r.count; c++) if (cellText(r, c).trim() !== String(c)) return false;
  return r.count > 1;
}

function isNumberCell(r: HeldRecord, c: number): boolean {
  const v = parseNumberBytes(r.bytes, r.starts[c], r.ends[c]);
  return !Number.isNaN(v) || isNanToken(r.bytes, r.starts[c], r.ends[c]);
}

function cellText(r: RecordView, c: number): string {
  const text = decoder.decode(r.bytes.subarray(r.starts[c], r.ends[c]));
  return r.escaped[c] ? text.replaceAll('""', '"') : text;
}

/** The most frequent of , ; and tab on the first line; comma when there is none. */
export function sniffDelimiter(chunk: Uint8Array): string {
  const counts = new Map<number, number>([
    [0x2c, 0],
    [0x09, 0],
    [0x3b, 0],
  ]);
  for (let i = 0; i < chunk.length && chunk[i] !== 0x0a; i++) {
    const n = counts.get(chunk[i]);
    if (n !== undefined) counts.set(chunk[i], n + 1);
  }
  let best = 0x2c;
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c;
  return String.fromCharCode(best);
}
