import type { Data, Layout } from 'plotly.js';
import type { Histogram, LabRun } from '../../../app/contract/lab.js';
import { labRows, qpsRange, type LabRow } from '../../../app/eval/lab-results.js';
import { formatBytes, formatMs } from '../format.js';
import type { ChartTheme } from './theme.js';

type Figure = { data: Data[]; layout: Partial<Layout> };

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Short labels for a log axis: 20k, 2M, 0.05. */
export function shortNumber(v: number): string {
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) if (v >= size) return `${+(v / size).toPrecision(2)}${unit}`;
  return String(+v.toPrecision(2));
}

/**
 * Ticks at 1, 2 and 5 of each decade the values span, or at every digit when they span less than
 * a factor of 3. plotly's own log ticks label either every digit (crowded) or only powers of ten.
 */
export function logTicks(values: number[]): { tickvals: number[]; ticktext: string[] } {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  if (finite.length === 0) return { tickvals: [], ticktext: [] };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const tickvals: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of hi / lo < 3 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo / 2.5 && v <= hi * 2.5) tickvals.push(+v.toPrecision(3));
    }
  }
  return { tickvals, ticktext: tickvals.map(shortNumber) };
}

function baseLayout(theme: ChartTheme, x: string, y: string, logValues?: number[]): Partial<Layout> {
  const axis = (title: string) => ({ title: { text: title, font: { size: 12, color: theme.muted } }, gridcolor: theme.grid, zerolinecolor: theme.grid, color: theme.muted, automargin: true });
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: theme.plotBg,
    font: { family: FONT, color: theme.text, size: 12 },
    margin: { l: 60, r: 12, t: 8, b: 44 },
    xaxis: axis(x),
    yaxis: { ...axis(y), ...(logValues ? { type: 'log' as const, tickmode: 'array' as const, ...logTicks(logValues) } : {}) },
    hovermode: 'closest',
    showlegend: true,
    legend: { orientation: 'h', y: -0.22, font: { size: 11 } },
  };
}

const num = (v: number | null, digits = 3) => (v === null ? '–' : v.toFixed(digits));
const count = (v: number | null) => (v === null ? '–' : Math.round(v).toLocaleString('en-US'));
const ms = (v: number | null) => (v === null ? '–' : formatMs(v));

export function pointName(row: Pick<LabRow, 'label' | 'param' | 'value'>): string {
  return row.param && row.value !== null ? `${row.label} · ${row.param}=${row.value}` : row.label;
}

/** Every figure of one sweep point, for its hover box. */
export function pointHover(row: LabRow, run: Pick<LabRun, 'k' | 'queries'>): string {
  const range = qpsRange(row, run.queries);
  const k = run.k;
  return [
    `<b>${pointName(row)}</b>`,
    `recall@${k} ${num(row.recall)} · R@1 ${num(row.recall_1)} · 10@10 ${num(row.recall_10_at_10)}`,
    `QPS batch ${count(row.qps_batch)}${range ? ` (repeats ${count(range[0])}–${count(range[1])})` : ''} · single ${count(row.qps_single)}`,
    `latency median ${ms(row.latency_median_ms ?? null)} · p99 ${ms(row.latency_p99_ms)} · mean ${ms(row.latency_mean_ms)}`,
    `build ${formatMs(row.train_ms + row.add_ms)} (train ${formatMs(row.train_ms)}) · size ${formatBytes(row.size_bytes)}`,
    row.param ? '<i>click to explore this index at this setting</i>' : '<i>click to explore this index</i>',
  ].join('<br>');
}

function byIndex(run: LabRun): LabRow[][] {
  const rows = labRows(run);
  return run.indexes.map((_, i) => rows.filter((r) => r.position === i));
}

/**
 * Recall against batch QPS (log): per index, its Pareto frontier as a line and the points it
 * dominates as hollow markers. customdata carries [position, value] for a click to explore.
 */
export function recallQpsFigure(run: LabRun, theme: ChartTheme): Figure {
  const data: Data[] = [];
  byIndex(run).forEach((rows, i) => {
    if (rows.length === 0) return;
    const colour = theme.categories[i % theme.categories.length];
    const front = rows.filter((r) => r.pareto).sort((a, b) => a.recall - b.recall);
    const rest = rows.filter((r) => !r.pareto);
    const trace = (part: LabRow[], frontier: boolean): Data => ({
      type: 'scatter',
      mode: frontier ? 'lines+markers' : 'markers',
      name: run.indexes[i].label,
      legendgroup: String(i),
      showlegend: frontier,
      x: part.map((r) => r.recall),
      y: part.map((r) => r.qps_batch),
      customdata: part.map((r) => [i, r.value]) as unknown as number[],
      text: part.map((r) => pointHover(r, run)),
      hovertemplate: '%{text}<extra></extra>',
      // the repeats' range: two points whose bars overlap do not differ in speed
      error_y: { type: 'data', symmetric: false, array: part.map((r) => (qpsRange(r, run.queries)?.[1] ?? r.qps_batch) - r.qps_batch), arrayminus: part.map((r) => r.qps_batch - (qpsRange(r, run.queries)?.[0] ?? r.qps_batch)), color: colour, thickness: 1.5, width: 3 },
      line: { color: colour, width: 2 },
      marker: frontier ? { color: colour, size: 9 } : { color: 'rgba(0,0,0,0)', size: 9, line: { color: colour, width: 2 } },
    });
    data.push(trace(front, true));
    if (rest.length) data.push(trace(rest, false));
  });
  const qps = labRows(run).map((r) => r.qps_batch);
  return { data, layout: baseLayout(theme, `recall@${run.k}`, 'queries per second (batch, log)', qps) };
}

/** One cost against recall for every point: a flat line per index shows the cost its recall range pays. */
function costFigure(run: LabRun, theme: ChartTheme, cost: (r: LabRow) => number, title: string, hover: (r: LabRow) => string): Figure {
  const data: Data[] = byIndex(run)
    .map((rows, i) => ({ rows: [...rows].sort((a, b) => a.recall - b.recall), i }))
    .filter(({ rows }) => rows.length > 0)
    .map(({ rows, i }) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: run.indexes[i].label,
      x: rows.map((r) => r.recall),
      y: rows.map(cost),
      text: rows.map((r) => `<b>${pointName(r)}</b><br>recall@${run.k} ${num(r.recall)}<br>${hover(r)}`),
      hovertemplate: '%{text}<extra></extra>',
      line: { color: theme.categories[i % theme.categories.length], width: 2 },
      marker: { size: 7 },
    }));
  return { data, layout: baseLayout(theme, `recall@${run.k}`, title, labRows(run).map(cost)) };
}

export function buildTimeFigure(run: LabRun, theme: ChartTheme): Figure {
  return costFigure(run, theme, (r) => Math.max(1e-3, (r.train_ms + r.add_ms) / 1000), 'build time, s (train + add, log)', (r) => `build ${formatMs(r.train_ms + r.add_ms)}`);
}

export function sizeFigure(run: LabRun, theme: ChartTheme): Figure {
  return costFigure(run, theme, (r) => r.size_bytes, 'index size, bytes (log)', (r) => `size ${formatBytes(r.size_bytes)}`);
}

/** A histogram as bars over bin centres. */
export function histogramFigure(h: Histogram, theme: ChartTheme, x: string, y = 'count'): Figure {
  const centres = h.counts.map((_, i) => h.start + (i + 0.5) * h.width);
  return {
    data: [{ type: 'bar', x: centres, y: h.counts, width: h.width * 0.92, marker: { color: theme.bar }, hovertemplate: `${x} %{x:.4g}<br>${y} %{y}<extra></extra>` }],
    layout: { ...baseLayout(theme, x, y), showlegend: false, bargap: 0.05 },
  };
}

/** Nodes per HNSW level: most sit on level 0 only, each level up holds about 1/M as many. */
export function levelsFigure(levels: number[], theme: ChartTheme): Figure {
  const layout = baseLayout(theme, 'top level of the node', 'nodes (log)', levels);
  return {
    data: [{ type: 'bar', x: levels.map((_, i) => i), y: levels, marker: { color: theme.bar }, hovertemplate: 'level %{x}: %{y} nodes<extra></extra>' }],
    layout: { ...layout, showlegend: false, xaxis: { ...layout.xaxis, dtick: 1 } },
  };
}
