import type { Data, Layout } from 'plotly.js';
import { isMeasured, measuredValues } from '../../../app/eval/missing.js';
import type { ChartTheme } from './theme.js';

/**
 * A histogram of distances (a query to a sample of the set, or every point's k-th neighbour
 * distance) with one value marked by a vertical line: how far "near" is against the rest.
 */
export function histogramFigure(args: {
  values: Float32Array;
  measure: string;
  mark: { value: number; label: string } | null;
  theme: ChartTheme;
  title: string;
}): { data: Data[]; layout: Partial<Layout> } {
  const { values, measure, mark, theme, title } = args;
  const finite = measuredValues(values);
  const showMark = mark !== null && isMeasured(mark.value);
  return {
    data: [
      {
        type: 'histogram',
        x: finite as unknown as number[],
        xbins: binsOf(finite),
        marker: { color: theme.bar, line: { width: 0 } },
        opacity: 0.85,
        hovertemplate: `${measure} %{x}<br>%{y} points<extra></extra>`,
        name: title,
      },
    ],
    layout: {
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: theme.plotBg,
      font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: theme.text, size: 12 },
      margin: { l: 56, r: 12, t: 26, b: 44 },
      bargap: 0.04,
      title: { text: title, font: { size: 12, color: theme.muted }, x: 0, xanchor: 'left', y: 0.98 },
      xaxis: { title: { text: measure, font: { size: 12, color: theme.muted } }, gridcolor: theme.grid, color: theme.muted, automargin: true, zeroline: false },
      yaxis: { title: { text: 'points', font: { size: 12, color: theme.muted } }, gridcolor: theme.grid, color: theme.muted, automargin: true },
      shapes: showMark ? [{ type: 'line', xref: 'x', yref: 'paper', x0: mark.value, x1: mark.value, y0: 0, y1: 1, line: { color: theme.marker, width: 2, dash: 'dash' } }] : [],
      annotations: showMark
        ? [{ xref: 'x', yref: 'paper', x: mark.value, y: 1, text: mark.label, showarrow: false, xanchor: 'left', yanchor: 'top', font: { size: 11, color: theme.marker }, bgcolor: theme.plotBg }]
        : [],
      showlegend: false,
    },
  };
}

/** 60 equal bins over the values' range (plotly's own binning picks too few for a skewed sample). */
function binsOf(values: Float32Array): { start: number; end: number; size: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return { start: lo - 0.5, end: lo + 0.5, size: 1 / 60 };
  return { start: lo, end: hi, size: (hi - lo) / 60 };
}
