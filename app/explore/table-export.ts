/** A table to export: named columns of equal length. */
export interface ExportTable {
  columns: string[];
  rows: (string | number | null)[][];
}

function csvCell(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  // quote when a comma, quote or line break would split the cell; formula-like text is neutralised
  const text = /^[=+\-@]/.test(v) && Number.isNaN(Number(v)) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header line. */
export function toCsv(table: ExportTable): string {
  return [table.columns.map(csvCell).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/** JSON: `about` (how the rows were made, for reproducing them) and one object per row. */
export function toJson(table: ExportTable, about: Record<string, unknown>): string {
  const rows = table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? null])));
  return JSON.stringify({ ...about, rows }, null, 2);
}

/** Tab-separated lines, for pasting into a spreadsheet. */
export function toTsv(table: ExportTable): string {
  const cell = (v: string | number | null) => (v === null ? '' : String(v).replace(/[\t\r\n]/g, ' '));
  return [table.columns.join('\t'), ...table.rows.map((r) => r.map(cell).join('\t'))].join('\n');
}
