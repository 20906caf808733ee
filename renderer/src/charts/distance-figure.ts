import type { Data, Layout } from 'plotly.js';
import type { QueryResult } from '../store/query-slice.js';
import type { ChartTheme } from './theme.js';

export function distanceFigure(args: {
  result: QueryResult;
  measure: string;
  focusedRank: number | null;
  theme: ChartTheme;
}): { data: Data[]; layout: Partial<Layout> } {
  const { result, measure, focusedRank, theme } = args;
  const k = result.distances.length;
  const ranks = Array.from({ length: k }, (_, i) => i + 1);
  const colours = ranks.map((_, i) => (i === focusedRank ? theme.barFocus : theme.bar));
  const ids = Array.from(result.ids, (id) => (id < 0 ? 'none' : String(id)));
  const range = valueRange(result.distances);
  return {
    data: [
      {
        type: 'bar',
        x: ranks,
        y: result.distances,
        text: ids,
        textposition: 'none',
        marker: { color: colours },
        hovertemplate: `rank %{x} · id %{text}<br>${measure} %{y:.5g}<extra></extra>`,
      },
    ],
    layout: {
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: theme.plotBg,
      font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: theme.text, size: 12 },
      margin: { l: 56, r: 12, t: 8, b: 44 },
      bargap: k > 200 ? 0 : 0.15,
      xaxis: { title: { text: 'rank', font: { size: 12, color: theme.muted } }, gridcolor: theme.grid, color: theme.muted, automargin: true, zeroline: false },
      yaxis: {
        title: { text: measure, font: { size: 12, color: theme.muted } },
        gridcolor: theme.grid,
        zerolinecolor: theme.grid,
        color: theme.muted,
        automargin: true,
        ...(range ? { range, autorange: false } : { autorange: true }),
      },
      hovermode: 'closest',
      showlegend: false,
    },
  };
}

/**
 * Neighbour distances often sit in a narrow band far from zero (cosine ≈ 0.98 for all k): bars
 * from zero would all look equal. Then the axis starts just below the smallest value instead.
 */
export function valueRange(values: Float32Array): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo > 0) || hi <= lo || lo / hi < 0.5) return null;
  const span = hi - lo;
  return [lo - span * 0.25, hi + span * 0.08];
}
