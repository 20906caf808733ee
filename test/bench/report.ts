/** One row of the bench table: a measured figure, its reference, and the ratio between them. */
export interface BenchRow {
  name: string;
  value: number;
  reference: number;
  unit: string;
  ratio: number;
  referenceName: string;
  target?: string;
  pass?: boolean;
}

export function row(name: string, value: number, reference: number, unit: string, referenceName: string, maxRatio?: number): BenchRow {
  const ratio = value / reference;
  return { name, value, reference, unit, ratio, referenceName, target: maxRatio === undefined ? undefined : `<= ${maxRatio}`, pass: maxRatio === undefined ? undefined : ratio <= maxRatio };
}

export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| measure | value | reference | ratio | target | |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
    lines.push(`| ${r.name} | ${f(r.value)} ${r.unit} | ${f(r.reference)} ${r.unit} (${r.referenceName}) | ${r.ratio.toFixed(3)} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED'} |`);
  }
  return lines.join('\n');
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
