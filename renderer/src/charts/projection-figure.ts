import type { Data, Layout } from 'plotly.js';
import type { Projection } from '../../../app/contract/operations.js';
import type { QueryResult } from '../store/query-slice.js';
import type { ChartTheme } from './theme.js';

/** Separate x and y arrays for plotly, made once per projection (a 100k-point loop, not per render). */
export interface Plane {
  x: Float32Array;
  y: Float32Array;
  qx: Float32Array;
  qy: Float32Array;
  /** distinct labels, when the dataset has them */
  classes: number;
}

const planes = new WeakMap<Projection, Plane>();

function split(xy: Float32Array): { x: Float32Array; y: Float32Array } {
  const n = xy.length >> 1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = xy[2 * i];
    y[i] = xy[2 * i + 1];
  }
  return { x, y };
}

export function planeOf(projection: Projection): Plane {
  let plane = planes.get(projection);
  if (!plane) {
    const base = split(projection.base);
    const queries = split(projection.queries);
    let classes = 0;
    if (projection.labels) for (let i = 0; i < projection.labels.length; i++) classes = Math.max(classes, projection.labels[i] + 1);
    plane = { x: base.x, y: base.y, qx: queries.x, qy: queries.y, classes };
    planes.set(projection, plane);
  }
  return plane;
}

export interface ProjectionFigure {
  data: Data[];
  layout: Partial<Layout>;
  /** base-row ids of each trace's points, so a click on any trace maps back to a row */
  rowsOf(curve: number, point: number): number | null;
}

export const TRACE = { base: 0, neighbours: 1, focus: 2, query: 3 } as const;

/** A colour scale that paints integer label i with the i-th category colour. */
function categoryScale(classes: number, colours: string[]): [number, string][] {
  const scale: [number, string][] = [];
  for (let i = 0; i < classes; i++) {
    const c = colours[i % colours.length];
    scale.push([i / classes, c], [(i + 1) / classes, c]);
  }
  return scale;
}

const axisTitle = (axis: number, explained: number[]) => {
  const share = explained[axis];
  if (share === undefined) return `PC${axis + 1}`;
  const pct = share * 100;
  // small shares keep two significant digits rather than rounding to "0.0%"
  const text = pct >= 1 ? pct.toFixed(1) : pct > 0 ? pct.toPrecision(2) : '0';
  return `PC${axis + 1} (${text}% of variance)`;
};

export function projectionFigure(args: {
  projection: Projection;
  result: QueryResult | null;
  focusedRank: number | null;
  theme: ChartTheme;
}): ProjectionFigure {
  const { projection, result, focusedRank, theme } = args;
  const plane = planeOf(projection);
  const n = plane.x.length;
  const active = result !== null && result.dataset === projection.dataset;

  // neighbours: at most k (≤ 1000) points, gathered from the plane by id
  const ids: number[] = [];
  if (active) for (const id of result.ids) if (id >= 0 && id < n) ids.push(id);
  const nx = new Float32Array(ids.length);
  const ny = new Float32Array(ids.length);
  ids.forEach((id, i) => {
    nx[i] = plane.x[id];
    ny[i] = plane.y[id];
  });
  const nText = ids.map((id, i) => `rank ${i + 1} · id ${id}`);

  let qx: number[] = [];
  let qy: number[] = [];
  let qText = '';
  if (active) {
    const fromBase = result.source === 'baseRows';
    const xs = fromBase ? plane.x : plane.qx;
    const ys = fromBase ? plane.y : plane.qy;
    if (result.row < xs.length) {
      qx = [xs[result.row]];
      qy = [ys[result.row]];
      qText = fromBase ? `query: base row ${result.row}` : `query: query-set row ${result.row}`;
    }
  }

  const focusId = active && focusedRank !== null ? result.ids[focusedRank] : undefined;
  const focused = focusId !== undefined && focusId >= 0 && focusId < n;

  const labelled = projection.labels !== undefined && plane.classes > 0;
  const pointSize = n > 50_000 ? 2.5 : n > 10_000 ? 3.5 : 5;

  const data: Data[] = [
    {
      type: 'scattergl',
      mode: 'markers',
      name: labelled ? `base vectors (${plane.classes} labels)` : 'base vectors',
      x: plane.x,
      y: plane.y,
      marker: labelled
        ? {
            size: pointSize,
            color: projection.labels as unknown as number[],
            colorscale: categoryScale(plane.classes, theme.categories),
            cmin: 0,
            cmax: plane.classes,
            opacity: active ? 0.22 : 0.65,
          }
        : { size: pointSize, color: theme.point, opacity: active ? 0.2 : 0.55 },
      hovertemplate: 'base row %{pointNumber}<extra></extra>',
    },
    {
      type: 'scattergl',
      mode: 'markers',
      name: 'neighbours',
      x: nx,
      y: ny,
      text: nText,
      marker: { size: 8, color: theme.neighbour, line: { width: 1, color: theme.neighbourLine } },
      hovertemplate: '%{text}<extra></extra>',
    },
    {
      type: 'scattergl',
      mode: 'markers',
      name: 'selected neighbour',
      showlegend: false,
      x: focused ? [plane.x[focusId]] : [],
      y: focused ? [plane.y[focusId]] : [],
      marker: { size: 16, color: 'rgba(0,0,0,0)', line: { width: 2.5, color: theme.focus } },
      hovertemplate: `rank ${(focusedRank ?? 0) + 1} · id ${focusId ?? ''}<extra></extra>`,
    },
    {
      type: 'scattergl',
      mode: 'markers',
      name: 'query',
      x: qx,
      y: qy,
      marker: { size: 17, symbol: 'star', color: theme.query, line: { width: 1.5, color: theme.neighbourLine } },
      hovertemplate: `${qText}<extra></extra>`,
    },
  ];

  const axis = (title: string) => ({
    title: { text: title, font: { size: 12, color: theme.muted } },
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    color: theme.muted,
    automargin: true,
  });

  const layout: Partial<Layout> = {
    // keeps the user's zoom and pan while only the highlighted query changes
    uirevision: projection.dataset,
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: theme.plotBg,
    font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: theme.text, size: 12 },
    margin: { l: 56, r: 12, t: 28, b: 48 },
    xaxis: axis(axisTitle(0, projection.explained)),
    yaxis: axis(axisTitle(1, projection.explained)),
    hovermode: 'closest',
    dragmode: 'zoom',
    showlegend: true,
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)', font: { size: 11, color: theme.muted } },
  };

  return {
    data,
    layout,
    rowsOf(curve, point) {
      if (curve === TRACE.base) return point;
      if (curve === TRACE.neighbours) return ids[point] ?? null;
      if (curve === TRACE.focus && focused) return focusId;
      return null; // the query star: already the query
    },
  };
}
