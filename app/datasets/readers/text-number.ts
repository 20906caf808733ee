/**
 * Parses a decimal number straight from ASCII bytes, so a CSV cell needs no string.
 * Short numbers (≤15 digits, exponent within ±22) take Clinger's fast path, which is exact:
 * both the integer mantissa and the power of ten are exact doubles and one IEEE operation rounds
 * correctly. Longer ones fall back to Number(), which also rounds correctly.
 * Returns NaN for text that is not a number; use isNanToken to tell "nan" apart.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

export function parseNumberBytes(b: Uint8Array, start: number, end: number): number {
  while (start < end && (b[start] === SPACE || b[start] === TAB)) start++;
  while (end > start && (b[end - 1] === SPACE || b[end - 1] === TAB)) end--;
  let i = start;
  let negative = false;
  let c = b[i];
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    c = b[++i];
  }
  // every digit goes into the mantissa; past 15 of them (leading zeros included) it is no longer
  // exact, and the slow path below takes over
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (i < end && c >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    digits++;
    c = b[++i];
  }
  if (i < end && c === DOT) {
    c = b[++i];
    while (i < end && c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      scale--;
      c = b[++i];
    }
  }
  if (digits === 0) return parseSpecial(b, start, end);
  let exponent = 0;
  if (i < end && (c === 0x65 || c === 0x45)) {
    c = b[++i];
    let expNegative = false;
    if (c === MINUS || c === PLUS) {
      expNegative = c === MINUS;
      c = b[++i];
    }
    const expStart = i;
    while (i < end && c >= ZERO && c <= NINE && i - expStart < 6) {
      exponent = exponent * 10 + (c - ZERO);
      c = b[++i];
    }
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return NaN;
  const e10 = scale + exponent;
  if (digits <= 15 && e10 >= -22 && e10 <= 22) {
    const v = e10 < 0 ? mantissa / POW10[-e10] : mantissa * POW10[e10];
    return negative ? -v : v;
  }
  return Number(latin1(b, start, end));
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** inf, infinity, nan in any case, with an optional sign: what numpy and pandas write. */
function parseSpecial(b: Uint8Array, start: number, end: number): number {
  const text = latin1(b, start, end).toLowerCase();
  const body = text.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return text.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

export function isNanToken(b: Uint8Array, start: number, end: number): boolean {
  return /^\s*[+-]?nan\s*$/i.test(latin1(b, start, Math.min(end, start + 16)));
}
