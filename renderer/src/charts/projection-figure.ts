import type { Data, Layout } from 'plotly.js';
import type { Projection } from '../../../app/contract/operations.js';
import type { AnswerMarks } from '../../../app/eval/recall.js';
import type { QueryResult } from '../store/query-slice.js';
import type { ColourSpec } from './colour-spec.js';
import type { ChartTheme } from './theme.js';

/** Separate x and y arrays for plotly, made once per projection (a 100k-point loop, not per render). */
export interface Plane {
  x: Float32Array;
  y: Float32Array;
  /** the third axis, when the projection has one */
  z: Float32Array | null;
  qx: Float32Array;
  qy: Float32Array;
  qz: Float32Array | null;
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
    plane = { x: base.x, y: base.y, z: projection.baseZ ?? null, qx: queries.x, qy: queries.y, qz: projection.queriesZ ?? null, classes };
    planes.set(projection, plane);
  }
  return plane;
}

/** Why this projection cannot be shown in 3D, in words; null when it can. */
export function depthProblem(projection: Projection): string | null {
  if (projection.baseZ) return null;
  // short: it sits in the toolbar beside the 3D button
  return projection.method === 'umap' ? 'UMAP is laid out in 2D only' : '3D needs 3+ dimensions';
}

export interface ProjectionFigure {
  data: Data[];
  layout: Partial<Layout>;
  /** base-row ids of each trace's points, so a click on any trace maps back to a row */
  rowsOf(curve: number, point: number): number | null;
}

export const TRACE = { base: 0, overlay: 1, lines: 2, neighbours: 3, missed: 4, selection: 5, focus: 6, query: 7 } as const;

/** A colour scale that paints integer label i with the i-th category colour. */
function categoryScale(classes: number, colours: string[]): [number, string][] {
  const scale: [number, string][] = [];
  for (let i = 0; i < classes; i++) {
    const c = colours[i % colours.length];
    scale.push([i / classes, c], [(i + 1) / classes, c]);
  }
  return scale;
}

/**
 * The base points with those of hidden categories moved off the map (NaN), so they can be neither
 * hovered, clicked nor selected; every other point keeps its position, so point i is still row i.
 */
function withoutCategories(plane: Plane, codes: Int32Array, hidden: readonly number[], depth: boolean): { x: Float32Array; y: Float32Array; z?: Float32Array } {
  const off = new Set(hidden);
  const x = Float32Array.from(plane.x);
  const y = Float32Array.from(plane.y);
  for (let i = 0; i < x.length; i++) {
    if (off.has(codes[i])) x[i] = y[i] = Number.NaN;
  }
  return { x, y, ...(depth ? { z: plane.z! } : {}) };
}

/** `short`: the 3D scene writes titles along its axes, where "of variance" would crowd the ticks */
const axisTitle = (method: string, axis: number, explained: number[], short = false) => {
  if (method === 'umap') return `UMAP ${axis + 1}`;
  const share = explained[axis];
  if (share === undefined) return `PC${axis + 1}`;
  const pct = share * 100;
  // small shares keep two significant digits rather than rounding to "0.0%"
  const text = pct >= 1 ? pct.toFixed(1) : pct > 0 ? pct.toPrecision(2) : '0';
  return `PC${axis + 1} (${text}%${short ? '' : ' of variance'})`;
};

/** Category names per point for hover text: shared strings, no per-point objects. */
const hoverNames = new WeakMap<Int32Array, string[]>();
function namesPerPoint(codes: Int32Array, names: string[]): string[] {
  let text = hoverNames.get(codes);
  if (!text) {
    text = Array.from(codes, (c) => names[c] ?? '—');
    hoverNames.set(codes, text);
  }
  return text;
}

/** Where the query sits on the map: its own point, or for a pasted vector the mean of its neighbours. */
export function queryPoint(result: Pick<QueryResult, 'source' | 'row'>, plane: Plane, neighbours: number[]): { x: number; y: number; z: number; text: string } | null {
  if (result.source === 'vector') {
    if (!neighbours.length) return null;
    let x = 0;
    let y = 0;
    let z = 0;
    for (const id of neighbours) {
      x += plane.x[id];
      y += plane.y[id];
      z += plane.z?.[id] ?? 0;
    }
    const m = neighbours.length;
    return { x: x / m, y: y / m, z: z / m, text: 'query: pasted vector (placed among its neighbours)' };
  }
  const fromBase = result.source === 'baseRows';
  const xs = fromBase ? plane.x : plane.qx;
  const ys = fromBase ? plane.y : plane.qy;
  const zs = fromBase ? plane.z : plane.qz;
  if (result.row < 0 || result.row >= xs.length) return null;
  return { x: xs[result.row], y: ys[result.row], z: zs?.[result.row] ?? 0, text: fromBase ? `query: base row ${result.row}` : `query: query-set row ${result.row}` };
}

/**
 * The box around the query and its neighbours on the 2D map, with a margin, for zooming onto
 * them; null when there is no result on this projection.
 */
export function neighbourBox(projection: Projection, result: QueryResult | null): { x: [number, number]; y: [number, number] } | null {
  if (!result || result.dataset !== projection.dataset) return null;
  const plane = planeOf(projection);
  const ids = Array.from(result.ids).filter((id) => id >= 0 && id < plane.x.length);
  const query = queryPoint(result, plane, ids);
  const xs = ids.map((id) => plane.x[id]);
  const ys = ids.map((id) => plane.y[id]);
  if (query) {
    xs.push(query.x);
    ys.push(query.y);
  }
  if (xs.length === 0) return null;
  const span = (v: number[]): [number, number] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    // a lone point or a tight cluster still gets a readable window
    const pad = Math.max((hi - lo) * 0.15, 1e-6);
    return [lo - pad, hi + pad];
  };
  const x = span(xs);
  const y = span(ys);
  // a square-ish window: with equal aspect plotly widens the other axis anyway, keep the centre
  const side = Math.max(x[1] - x[0], y[1] - y[0]);
  const square = (r: [number, number]): [number, number] => [(r[0] + r[1]) / 2 - side / 2, (r[0] + r[1]) / 2 + side / 2];
  return { x: square(x), y: square(y) };
}

/** Coordinates of some rows, for one trace: x, y, and z in 3D. */
interface Coords {
  x: Float32Array;
  y: Float32Array;
  z?: Float32Array;
}

function gather(plane: Plane, rows: ArrayLike<number>, depth: boolean): Coords {
  const x = new Float32Array(rows.length);
  const y = new Float32Array(rows.length);
  const z = depth && plane.z ? new Float32Array(rows.length) : null;
  for (let i = 0; i < rows.length; i++) {
    x[i] = plane.x[rows[i]];
    y[i] = plane.y[rows[i]];
    if (z) z[i] = plane.z![rows[i]];
  }
  return z ? { x, y, z } : { x, y };
}

export function projectionFigure(args: {
  projection: Projection;
  result: QueryResult | null;
  focusedRank: number | null;
  theme: ChartTheme;
  /** undefined: by label when the dataset has labels; null: one colour */
  colour?: ColourSpec | null;
  /** the answer judged against exact search, ties counted as found: which ranks are wrong, which exact neighbours missed */
  marks?: AnswerMarks | null;
  selection?: number[] | null;
  dragMode?: 'zoom' | 'pan' | 'select' | 'lasso';
  /** 3: a turnable 3D scatter, when the projection has a third axis */
  dims?: 2 | 3;
  /** category codes not drawn (toggled off in the legend) */
  hidden?: readonly number[];
  /** fade the base points: a layer drawn over the map (the explain layer) is what matters now */
  faded?: boolean;
  /** pixels kept free right of the plot area, for the legend of a layer laid over the map */
  rightRoom?: number;
}): ProjectionFigure {
  const { projection, result, focusedRank, theme } = args;
  const plane = planeOf(projection);
  const n = plane.x.length;
  const depth = args.dims === 3 && plane.z !== null;
  const type = depth ? 'scatter3d' : 'scattergl';
  const pick = (rows: ArrayLike<number>) => gather(plane, rows, depth);
  const active = result !== null && result.dataset === projection.dataset;

  // neighbours: at most k (≤ 1000) points, gathered from the plane by id
  const ids: number[] = [];
  if (active) for (const id of result.ids) if (id >= 0 && id < n) ids.push(id);
  const rank = new Map<number, number>();
  if (active) result.ids.forEach((id, r) => rank.set(id, r));
  const marks = active ? (args.marks ?? null) : null;
  const wrong = (id: number) => marks?.wrong[rank.get(id)!] === true;
  const nb = pick(ids);
  const nText = ids.map((id) => `rank ${rank.get(id)! + 1} · id ${id}${wrong(id) ? ' · farther than the exact k-th neighbour' : ''}`);
  const nSymbols = ids.map((id) => (wrong(id) ? 'x' : 'circle'));
  const nColours = ids.map((id) => (wrong(id) ? theme.wrong : theme.neighbour));
  const missedIds = marks ? marks.missed.filter((id) => id < n) : [];
  const missed = pick(missedIds);

  const query = active ? queryPoint(result, plane, ids) : null;
  const lines: { x: (number | null)[]; y: (number | null)[]; z?: (number | null)[] } = { x: [], y: [], ...(depth ? { z: [] } : {}) };
  if (query) {
    for (let i = 0; i < ids.length; i++) {
      lines.x.push(query.x, nb.x[i], null);
      lines.y.push(query.y, nb.y[i], null);
      lines.z?.push(query.z, nb.z![i], null);
    }
  }

  const focusId = active && focusedRank !== null ? result.ids[focusedRank] : undefined;
  const focused = focusId !== undefined && focusId >= 0 && focusId < n;

  const colour: ColourSpec | null =
    args.colour !== undefined ? args.colour : projection.labels && plane.classes > 0 ? { kind: 'category', title: 'label', codes: projection.labels, names: [] } : null;
  const pointSize = n > 50_000 ? 2.5 : n > 10_000 ? 3.5 : 5;
  const fade = active || (args.selection?.length ?? 0) > 0 || !!args.faded;
  // in 3D the faded points stack in depth in front of the lit ones: fade them further
  // under a layer, dense clusters of even faint points still add up to solid colour: fainter still
  const faded = (opacity: number) => (depth ? opacity / 2 : args.faded ? opacity / 2.5 : opacity);
  const overlay = colour?.kind === 'number' && colour.rows ? colour : null;

  const colourBar = (c: Extract<ColourSpec, { kind: 'number' }>) => ({
    colorscale: 'Viridis',
    ...(c.range ? { cmin: c.range[0], cmax: c.range[1] } : {}),
    colorbar: { title: { text: c.title, side: 'right' as const, font: { size: 11, color: theme.muted } }, thickness: 12, len: 0.8, tickfont: { size: 10, color: theme.muted }, outlinewidth: 0, ...(c.format ? { tickformat: c.format } : {}) },
  });

  let baseMarker: Record<string, unknown>;
  let baseHover = 'row %{pointNumber}<extra></extra>';
  let baseText: string[] | undefined;
  if (colour?.kind === 'category') {
    const classes = Math.max(1, colour.names.length || plane.classes);
    baseMarker = { color: colour.codes, colorscale: categoryScale(classes, theme.categories), cmin: 0, cmax: classes, opacity: fade ? faded(0.22) : 0.65 };
    if (colour.names.length) {
      baseText = namesPerPoint(colour.codes, colour.names);
      baseHover = `row %{pointNumber}<br>${colour.title}: %{text}<extra></extra>`;
    } else baseHover = `row %{pointNumber}<br>${colour.title}: %{marker.color}<extra></extra>`;
  } else if (colour?.kind === 'number' && !overlay) {
    baseMarker = { color: colour.values, ...colourBar(colour), opacity: fade ? faded(0.35) : 0.75 };
    baseHover = `row %{pointNumber}<br>${colour.title}: %{marker.color${colour.format ? `:${colour.format}` : ''}}<extra></extra>`;
  } else {
    baseMarker = { color: theme.point, opacity: fade || overlay ? faded(0.2) : 0.55 };
  }

  const shown = colour?.kind === 'category' && args.hidden?.length ? withoutCategories(plane, colour.codes, args.hidden, depth) : { x: plane.x, y: plane.y, ...(depth ? { z: plane.z! } : {}) };
  const sel = pick(args.selection ?? []);
  const focus = pick(focused ? [focusId] : []);
  // scatter3d has no star and no outlines on see-through markers: open symbols in the ring's colour instead
  const ring3d = (colour: string, size: number) => ({ size, symbol: 'circle-open', color: colour });
  const data: Data[] = [
    {
      type,
      mode: 'markers',
      name: colour?.kind === 'category' ? `base vectors by ${colour.title}` : overlay ? 'not sampled' : 'base vectors',
      ...shown,
      ...(baseText ? { text: baseText } : {}),
      marker: { size: pointSize, ...baseMarker },
      hovertemplate: baseHover,
    },
    {
      type,
      mode: 'markers',
      name: overlay ? `${overlay.title} (${overlay.rows!.length.toLocaleString('en-US')} sampled)` : 'overlay',
      showlegend: !!overlay,
      ...pick(overlay?.rows ?? []),
      // plotly reads typed arrays as colours; its types only list plain arrays
      marker: overlay ? { size: pointSize + 2, color: overlay.values as unknown as number[], ...colourBar(overlay), opacity: active ? 0.6 : 0.9 } : { size: 1 },
      hovertemplate: overlay ? `${overlay.title}: %{marker.color${overlay.format ? `:${overlay.format}` : ''}}<extra></extra>` : '',
    },
    {
      type,
      mode: 'lines',
      name: 'query to neighbours',
      showlegend: false,
      ...lines,
      line: { width: 1, color: theme.line },
      hoverinfo: 'skip',
    },
    {
      type,
      mode: 'markers',
      name: marks ? 'neighbours (× farther than the exact k-th)' : 'neighbours',
      ...nb,
      text: nText,
      marker: { size: 8, color: nColours, symbol: nSymbols, line: { width: 1, color: theme.neighbourLine } },
      hovertemplate: '%{text}<extra></extra>',
    },
    {
      type,
      mode: 'markers',
      name: 'missed (exact only)',
      showlegend: missedIds.length > 0,
      ...missed,
      text: missedIds.map((id) => `id ${id}: an exact neighbour the index missed`),
      marker: depth ? ring3d(theme.missed, 10) : { size: 10, color: 'rgba(0,0,0,0)', symbol: 'circle-open', line: { width: 2, color: theme.missed } },
      hovertemplate: '%{text}<extra></extra>',
    },
    {
      type,
      mode: 'markers',
      name: `selection (${(args.selection?.length ?? 0).toLocaleString('en-US')})`,
      showlegend: sel.x.length > 0,
      ...sel,
      marker: { size: pointSize + 3, color: theme.selection, opacity: 0.9 },
      hovertemplate: 'selected · row %{text}<extra></extra>',
      text: args.selection?.map(String) ?? [],
    },
    {
      type,
      mode: 'markers',
      name: 'selected neighbour',
      showlegend: false,
      ...focus,
      marker: depth ? ring3d(theme.focus, 16) : { size: 16, color: 'rgba(0,0,0,0)', line: { width: 2.5, color: theme.focus } },
      hovertemplate: `rank ${(focusedRank ?? 0) + 1} · id ${focusId ?? ''}<extra></extra>`,
    },
    {
      type,
      mode: 'markers',
      name: 'query',
      x: query ? [query.x] : [],
      y: query ? [query.y] : [],
      ...(depth ? { z: query ? [query.z] : [] } : {}),
      marker: depth ? { size: 9, symbol: 'diamond', color: theme.query } : { size: 17, symbol: 'star', color: theme.query, line: { width: 1.5, color: theme.neighbourLine } },
      hovertemplate: `${query?.text ?? ''}<extra></extra>`,
    },
  ];

  const axis = (at: number) => ({
    title: { text: axisTitle(projection.method, at, projection.explained, depth), font: { size: 12, color: theme.muted } },
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    color: theme.muted,
  });

  const axis3d = (at: number) => ({ ...axis(at), backgroundcolor: theme.plotBg, showbackground: true, showspikes: false });

  const common: Partial<Layout> = {
    // keeps the user's zoom, pan or camera while only the highlighted query changes
    uirevision: `${projection.dataset}|${projection.method}|${depth ? '3d' : '2d'}`,
    paper_bgcolor: 'rgba(0,0,0,0)',
    font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: theme.text, size: 12 },
    hovermode: 'closest',
    showlegend: true,
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)', font: { size: 11, color: theme.muted } },
  };
  const layout: Partial<Layout> = depth
    ? {
        ...common,
        margin: { l: 0, r: 0, t: 28, b: 0 },
        scene: {
          xaxis: axis3d(0),
          yaxis: axis3d(1),
          zaxis: axis3d(2),
          // each axis spans its side of the box, as each spans the 2D plot (the third component is usually the
          // flattest); a wide, low box seen from a little below plotly's default fits a wide, short panel whole
          aspectmode: 'manual',
          aspectratio: { x: 1.25, y: 1.25, z: 0.85 },
          camera: { eye: { x: 1.4, y: 1.4, z: 0.6 }, center: { x: 0, y: 0, z: -0.22 } },
          dragmode: 'turntable',
        },
      }
    : {
        ...common,
        plot_bgcolor: theme.plotBg,
        margin: { l: 56, r: 12 + (args.rightRoom ?? 0), t: 28, b: 48 },
        xaxis: { ...axis(0), automargin: true },
        // one unit on y is one unit on x: distances on the map read the same in every direction
        yaxis: { ...axis(1), automargin: true, scaleanchor: 'x', scaleratio: 1 },
        dragmode: args.dragMode ?? 'zoom',
        selectdirection: 'any',
      };

  const traceRows: (ArrayLike<number> | null)[] = [null, overlay?.rows ?? [], [], ids, missedIds, args.selection ?? [], focused ? [focusId] : [], []];
  return {
    data,
    layout,
    rowsOf(curve, point) {
      if (curve === TRACE.base) return point;
      const rows = traceRows[curve];
      return rows && point < rows.length ? rows[point] : null; // the query star: already the query
    },
  };
}
