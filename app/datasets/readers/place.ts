import { EngineError, type ErrorCode } from '../../contract/errors.js';

/** Where in a file something went wrong. Rows and columns count from 0, like the vector ids; lines from 1, like editors. */
export interface Place {
  row?: number;
  column?: number;
  /** a column's header name or an object field */
  field?: string;
  line?: number;
  byte?: number;
}

export function describePlace(place: Place): string {
  const main: string[] = [];
  if (place.row !== undefined) main.push(`row ${place.row}`);
  if (place.column !== undefined) main.push(place.field !== undefined ? `column ${place.column} ("${place.field}")` : `column ${place.column}`);
  else if (place.field !== undefined) main.push(`field "${place.field}"`);
  const aside: string[] = [];
  if (place.line !== undefined) aside.push(`line ${place.line}`);
  if (place.byte !== undefined) aside.push(`byte offset ${place.byte}`);
  if (main.length === 0) return aside.join(', ');
  return `${main.join(', ')}${aside.length ? ` (${aside.join(', ')})` : ''}`;
}

/** A file error whose message starts with the place ("row 3, column 2 (line 5, byte offset 80): ..."), the same way in every reader. */
export function fileError(code: ErrorCode, what: string, place: Place = {}): EngineError {
  const where = describePlace(place);
  return new EngineError(code, where ? `${where}: ${what}` : what);
}

/** "1 number", "3 numbers". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Shortens a cell or token for an error message, in quotes. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(clip(text, max));
}

export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
