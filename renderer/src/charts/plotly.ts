import type * as PlotlyApi from 'plotly.js';

export type Plotly = typeof PlotlyApi;

let loading: Promise<Plotly> | null = null;

/**
 * plotly is most of the bundle: load it once, after the first paint, in its own chunk. Its strict
 * build: WebGL traces with regl's shaders generated ahead of time, so the page's CSP needs no 'unsafe-eval'.
 */
export function loadPlotly(): Promise<Plotly> {
  loading ??= import('plotly.js-strict-dist-min').then((m) => ((m as { default?: Plotly }).default ?? m) as Plotly);
  return loading;
}

export const PLOT_CONFIG: Partial<PlotlyApi.Config> = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
  toImageButtonOptions: { format: 'png', scale: 2 },
};

/** How wide plotly's toolbar is when it stands upright, in pixels. */
export const TOOLBAR_WIDTH = 36;

/**
 * The layout with plotly's toolbar upright in a right margin of its own: lying across the top
 * it covers chart titles, legends and the tallest bars.
 */
export function withToolbarRoom(layout: Partial<PlotlyApi.Layout>): Partial<PlotlyApi.Layout> {
  const margin = layout.margin ?? {};
  return { ...layout, modebar: { ...layout.modebar, orientation: 'v' }, margin: { ...margin, r: Math.max(margin.r ?? 0, TOOLBAR_WIDTH) } };
}

/** The scatter keeps plotly's box and lasso tools: they make selections there. */
export const SCATTER_CONFIG: Partial<PlotlyApi.Config> = { ...PLOT_CONFIG, modeBarButtonsToRemove: ['autoScale2d'] };
