import type { MetadataColumn } from './types.js';

type Cell = string | number | null;

/** Collects one metadata column row by row and settles its type at the end. */
export class MetadataColumnBuilder {
  readonly values: Cell[];
  private strings = 0;
  private numbers = 0;

  /** `firstRow` > 0 for a field first seen part-way through: earlier rows get null. */
  constructor(
    readonly name: string,
    firstRow = 0,
  ) {
    this.values = new Array<Cell>(firstRow).fill(null);
  }

  push(value: Cell): void {
    if (typeof value === 'string') this.strings++;
    else if (typeof value === 'number') this.numbers++;
    this.values.push(value);
  }

  /** Pads rows that lacked this field up to `rows`. */
  padTo(rows: number): void {
    while (this.values.length < rows) this.values.push(null);
  }

  /**
   * 'number' when every value is a number, or (for text formats, `fromText`) a string that reads
   * as a finite number; otherwise 'string', with numbers turned into text.
   */
  finish(fromText = false): MetadataColumn {
    const { name, values } = this;
    if (fromText && this.strings > 0 && this.numbers === 0 && values.every((v) => v === null || isNumericText(v as string))) {
      return { name, type: 'number', values: values.map((v) => (v === null ? null : Number(v))) };
    }
    if (this.strings === 0 && this.numbers > 0) return { name, type: 'number', values };
    if (this.numbers > 0) return { name, type: 'string', values: values.map((v) => (typeof v === 'number' ? String(v) : v)) };
    return { name, type: 'string', values };
  }
}

function isNumericText(text: string): boolean {
  const t = text.trim();
  return t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t);
}
