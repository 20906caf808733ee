import { fileError } from './place.js';
import { withCarry } from './carry.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** One record's cells as byte ranges into `bytes`; valid only during the callback. */
export interface RecordView {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** 1 where a quoted cell contains doubled quotes that must be unescaped */
  escaped: Uint8Array;
  count: number;
  /** 1-based line where the record starts */
  line: number;
  /** file offset where the record starts */
  byte: number;
  /** index in `bytes` where the record starts (so a cell's file offset is byte + starts[c] - offset) */
  offset: number;
}

/** A line longer than this is a broken file (an unclosed quote swallowing the rest), not data. */
const MAX_RECORD_BYTES = 64 << 20;

/**
 * Splits delimited text into records of cells without decoding it, across chunk boundaries.
 * Quoting follows RFC 4180 ("a ""b""", newlines inside quotes) when enabled; CRLF and LF both end
 * a line.
 */
export class RecordScanner {
  private carry: Uint8Array = new Uint8Array(0);
  /** file offset of carry[0] (or of the next chunk when carry is empty) */
  private base = 0;
  private line = 1;
  private readonly view: RecordView = {
    bytes: new Uint8Array(0),
    starts: new Int32Array(64),
    ends: new Int32Array(64),
    escaped: new Uint8Array(64),
    count: 0,
    line: 1,
    byte: 0,
    offset: 0,
  };

  constructor(
    private readonly delimiter: number,
    private readonly quoting: boolean,
    private readonly onRecord: (record: RecordView) => void,
  ) {}

  push(chunk: Uint8Array): void {
    const buf = withCarry(this.carry, chunk);
    const used = this.scan(buf, false);
    if (buf.length - used > MAX_RECORD_BYTES) {
      throw fileError('BAD_FILE', 'a record starting here runs on for more than 64 MiB (an unclosed quote?)', { line: this.line, byte: this.base + used });
    }
    this.carry = buf.slice(used);
    this.base += used;
  }

  end(): void {
    if (this.carry.length > 0) this.scan(this.carry, true);
    this.carry = new Uint8Array(0);
  }

  /** Emits every complete record in `buf`; returns how many bytes were consumed. */
  private scan(buf: Uint8Array, final: boolean): number {
    const len = buf.length;
    const delim = this.delimiter;
    const view = this.view;
    view.bytes = buf;
    let i = 0;
    while (i < len) {
      const recordStart = i;
      let lines = 0;
      let count = 0;
      let complete = false;
      while (true) {
        if (count === view.starts.length) this.growCells();
        let start = i;
        let end: number;
        let escaped = 0;
        if (this.quoting && buf[i] === QUOTE) {
          // quoted cell: find the closing quote that is not doubled
          let j = i + 1;
          let closed = false;
          while (j < len) {
            const c = buf[j];
            if (c === QUOTE) {
              if (j + 1 < len && buf[j + 1] === QUOTE) {
                escaped = 1;
                j += 2;
                continue;
              }
              if (j + 1 === len && !final) break; // the next chunk may start with the second quote
              closed = true;
              break;
            }
            if (c === LF) lines++;
            j++;
          }
          if (!closed) {
            if (!final) return recordStart;
            throw fileError('BAD_FILE', 'a quoted cell starting here is never closed', { line: this.line, byte: this.base + i });
          }
          start = i + 1;
          end = j;
          i = j + 1;
          while (i < len && buf[i] !== delim && buf[i] !== LF) i++; // stray text after the closing quote is ignored
        } else {
          while (i < len) {
            const c = buf[i];
            if (c === delim || c === LF) break;
            i++;
          }
          end = i;
        }
        if (i === len && !final) return recordStart;
        view.starts[count] = start;
        view.ends[count] = end;
        view.escaped[count] = escaped;
        count++;
        if (i < len && buf[i] === delim) {
          i++;
          if (i === len && !final) return recordStart;
          if (i === len) {
            // a trailing delimiter at the very end of the file: one more empty cell
            if (count === view.starts.length) this.growCells();
            view.starts[count] = view.ends[count] = i;
            view.escaped[count] = 0;
            count++;
            complete = true;
            break;
          }
          continue;
        }
        if (i < len) i++; // the LF
        complete = true;
        break;
      }
      if (!complete) return recordStart;
      // drop the CR of a CRLF from the last cell
      const last = count - 1;
      if (view.ends[last] > view.starts[last] && buf[view.ends[last] - 1] === CR) view.ends[last]--;
      view.count = count;
      view.line = this.line;
      view.byte = this.base + recordStart;
      view.offset = recordStart;
      this.line += 1 + lines;
      this.onRecord(view);
    }
    return len;
  }

  private growCells(): void {
    const size = this.view.starts.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.view.starts = grow(this.view.starts, (n) => new Int32Array(n));
    this.view.ends = grow(this.view.ends, (n) => new Int32Array(n));
    this.view.escaped = grow(this.view.escaped, (n) => new Uint8Array(n));
  }
}
