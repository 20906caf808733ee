import { fileError } from './place.js';
import { withCarry } from './carry.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const LF = 0x0a;

/** A value longer than this is a broken file (an unclosed string or bracket), not a record. */
const MAX_VALUE_BYTES = 256 << 20;
/** A record is a vector in an object at most a few levels down; far deeper nesting would overflow the parser's stack. */
export const MAX_JSON_DEPTH = 64;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Cuts a JSON stream into its records without parsing them: either a sequence of values (JSON
 * Lines, or objects one after another) or the elements of one top-level array. Each record is an
 * object or array, handed over as bytes to parse on its own, so the whole file is never one string.
 */
export class JsonValueSplitter {
  private carry: Uint8Array = new Uint8Array(0);
  private base = 0;
  private line = 1;
  private mode: 'sequence' | 'array' | null;
  private arrayState: 'before' | 'item' | 'after-item' | 'closed' = 'before';
  private depth = 0;
  private inString = false;
  private escape = false;
  /** where the current record starts in the carry+chunk buffer; -1 between records */
  private valueStart = -1;
  private valueLine = 1;
  private scanned = 0;
  private count = 0;

  constructor(
    /** null: decide from the first character ('[' means one array of records) */
    mode: 'sequence' | 'array' | null,
    private readonly onValue: (bytes: Uint8Array, index: number, line: number, byte: number) => void,
  ) {
    this.mode = mode;
  }

  push(chunk: Uint8Array): void {
    const buf = withCarry(this.carry, chunk);
    this.scan(buf);
    // keep only the unfinished record
    const keep = this.valueStart >= 0 ? this.valueStart : buf.length;
    if (buf.length - keep > MAX_VALUE_BYTES) throw fileError('BAD_FILE', 'a record starting here runs on for more than 256 MiB (an unclosed string or bracket?)', { line: this.valueLine, byte: this.base + keep });
    this.carry = buf.slice(keep);
    this.scanned -= keep;
    if (this.valueStart >= 0) this.valueStart = 0;
    this.base += keep;
  }

  end(): void {
    if (this.valueStart >= 0) {
      throw fileError('FILE_TRUNCATED', 'the file ends inside this record', { row: this.count, line: this.valueLine, byte: this.base + this.valueStart });
    }
    if (this.mode === 'array' && this.arrayState !== 'closed') throw fileError('FILE_TRUNCATED', 'the file ends before the closing ] of its array', { byte: this.base + this.carry.length });
  }

  private scan(buf: Uint8Array): void {
    let i = this.scanned;
    const len = buf.length;
    while (i < len) {
      const c = buf[i];
      if (this.valueStart >= 0) {
        // inside a record: only strings and brackets matter
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (c === BACKSLASH) this.escape = true;
          else if (c === QUOTE) this.inString = false;
        } else if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          if (++this.depth > MAX_JSON_DEPTH) throw fileError('BAD_FILE', `the record nests deeper than ${MAX_JSON_DEPTH} levels`, { row: this.count, line: this.line, byte: this.base + i });
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (--this.depth === 0) {
            this.onValue(buf.subarray(this.valueStart, i + 1), this.count++, this.valueLine, this.base + this.valueStart);
            this.valueStart = -1;
            if (this.mode === 'array') this.arrayState = 'after-item';
          }
        }
        if (c === LF) this.line++;
        i++;
        continue;
      }
      if (c === LF) this.line++;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.mode === null) this.mode = c === OPEN_BRACKET ? 'array' : 'sequence';
      if (this.mode === 'array' && !this.arrayPunctuation(c, i)) {
        i++;
        continue;
      }
      if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
        throw fileError('BAD_FILE', `record ${this.count} is not a JSON object or array: it starts with ${JSON.stringify(String.fromCharCode(c))}`, {
          row: this.count,
          line: this.line,
          byte: this.base + i,
        });
      }
      this.valueStart = i;
      this.valueLine = this.line;
      this.depth = 1;
      i++;
    }
    this.scanned = i;
  }

  /** Consumes the [ , ] around array items; returns true when `c` starts an item. */
  private arrayPunctuation(c: number, i: number): boolean {
    const where = { line: this.line, byte: this.base + i };
    switch (this.arrayState) {
      case 'before':
        if (c !== OPEN_BRACKET) throw fileError('BAD_FILE', 'expected [ to open the array of records', where);
        this.arrayState = 'item';
        return false;
      case 'item':
        if (c === CLOSE_BRACKET && this.count === 0) {
          this.arrayState = 'closed';
          return false;
        }
        return true;
      case 'after-item':
        if (c === COMMA) this.arrayState = 'item';
        else if (c === CLOSE_BRACKET) this.arrayState = 'closed';
        else throw fileError('BAD_FILE', `expected , or ] after record ${this.count - 1}`, where);
        return false;
      case 'closed':
        throw fileError('BAD_FILE', 'text follows the closing ] of the array', where);
    }
  }
}
