/**
 * Query vectors typed or pasted as text: a JSON array (one vector) or array of arrays, or lines of
 * numbers separated by commas, spaces or tabs (one vector per line). Every vector must have `dim`
 * finite numbers. Throws an Error whose message says what is wrong and where.
 */
export function parseVectors(text: string, dim: number): Float32Array {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('Paste a vector: numbers separated by commas, or a JSON array.');
  const rows = trimmed.startsWith('[') ? jsonRows(trimmed) : textRows(trimmed);
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => {
    if (row.length !== dim) throw new Error(`${rows.length > 1 ? `Vector ${r + 1} has` : 'The vector has'} ${row.length} numbers; this dataset has ${dim} dimensions.`);
    row.forEach((v, c) => {
      if (!Number.isFinite(v)) throw new Error(`${rows.length > 1 ? `Vector ${r + 1}, number` : 'Number'} ${c + 1} is not a finite number.`);
      out[r * dim + c] = v;
    });
  });
  return out;
}

function jsonRows(text: string): number[][] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`This is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(value) || value.length === 0) throw new Error('Expected a JSON array of numbers, or an array of such arrays.');
  const rows = Array.isArray(value[0]) ? value : [value];
  return rows.map((row, r) => {
    if (!Array.isArray(row)) throw new Error(`Item ${r + 1} is not an array of numbers.`);
    return row.map((v) => (typeof v === 'number' ? v : Number.NaN));
  });
}

function textRows(text: string): number[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/[\s,;]+/).filter(Boolean).map(Number));
}
