import type { Data, Layout } from 'plotly.js';
import { isMeasured } from '../../../app/eval/missing.js';
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
  // places faiss could not fill (-1) have no distance to draw
  const shown = Array.from({ length: k }, (_, i) => i).filter((i) => result.ids[i] >= 0 && isMeasured(result.distances[i]));
  const colours = shown.map((i) => (i === focusedRank ? theme.barFocus : theme.bar));
  return {
    data: [
      {
        type: 'bar',
        x: shown.map((i) => i + 1),
        y: shown.map((i) => result.distances[i]),
        text: shown.map((i) => String(result.ids[i])),
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
        // bars compare magnitudes: from zero, however close together the distances are
        rangemode: 'tozero',
      },
      hovermode: 'closest',
      showlegend: false,
    },
  };
}
