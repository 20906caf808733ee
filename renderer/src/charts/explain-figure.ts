import type { Data, Layout } from 'plotly.js';
import type { Explanation } from '../../../app/contract/explain.js';
import type { StepMap } from '../../../app/explain/explain-steps.js';
import { missedLabels } from '../../../app/explain/missed-labels.js';
import type { ExplainRun } from '../store/explain-slice.js';
import type { ColourSpec } from './colour-spec.js';
import type { Plane } from './projection-figure.js';
import type { ChartTheme } from './theme.js';

// The explain layer: traces drawn on top of the scatter for one step, and the PQ table heatmap.
// Everything per run (list colours, centroid positions) is made once and reused across steps.

type Static = Pick<Plane, 'x' | 'y'>;

interface ListLayer {
  /** every row's list colour index, as plotly reads it */
  colour: Int32Array;
  /** per list, its members' mean position (IVF centroids on any map) */
  cx: Float32Array;
  cy: Float32Array;
}

const listLayers = new WeakMap<Int32Array, WeakMap<Static, ListLayer>>();

function listLayer(rowLists: Int32Array, nlist: number, plane: Static, colours: number): ListLayer {
  let byPlane = listLayers.get(rowLists);
  if (!byPlane) listLayers.set(rowLists, (byPlane = new WeakMap()));
  let layer = byPlane.get(plane);
  if (!layer) {
    const sx = new Float64Array(nlist);
    const sy = new Float64Array(nlist);
    const n = new Int32Array(nlist);
    const colour = new Int32Array(rowLists.length);
    for (let i = 0; i < rowLists.length && i < plane.x.length; i++) {
      const l = rowLists[i];
      colour[i] = l < 0 ? 0 : l % colours;
      if (l < 0) continue;
      sx[l] += plane.x[i];
      sy[l] += plane.y[i];
      n[l]++;
    }
    const cx = Float32Array.from(sx, (v, l) => (n[l] ? v / n[l] : Number.NaN));
    const cy = Float32Array.from(sy, (v, l) => (n[l] ? v / n[l] : Number.NaN));
    layer = { colour, cx, cy };
    byPlane.set(plane, layer);
  }
  return layer;
}

function categoryScale(colours: string[]): [number, string][] {
  const scale: [number, string][] = [];
  colours.forEach((c, i) => scale.push([i / colours.length, c], [(i + 1) / colours.length, c]));
  return scale;
}

function pick(plane: Static, rows: readonly number[]): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const r of rows) {
    if (r < 0 || r >= plane.x.length) continue;
    x.push(plane.x[r]);
    y.push(plane.y[r]);
  }
  return { x, y };
}

/** The rows of lit lists, gathered once per (run, lit set). */
function litRows(rowLists: Int32Array, lit: readonly number[]): number[] {
  const on = new Set(lit);
  const rows: number[] = [];
  for (let i = 0; i < rowLists.length; i++) if (on.has(rowLists[i])) rows.push(i);
  return rows;
}

/** The base points coloured by their IVF list, for the map under the explain layer. */
export function listColour(rowLists: Int32Array, nlist: number): ColourSpec {
  // one object per run, so the map is not redrawn at every step
  let spec = listColours.get(rowLists);
  if (!spec) listColours.set(rowLists, (spec = { kind: 'category', title: 'IVF list', codes: rowLists, names: Array.from({ length: nlist }, (_, l) => `list ${l}`) }));
  return spec;
}
const listColours = new WeakMap<Int32Array, ColourSpec>();

/** Pixels the map keeps right of its plot area for the explain layer's legend (its longest names fit). */
export const OVERLAY_LEGEND_ROOM = 230;

/** The explain layer's own figure: its traces over axes that follow the map's (see ExplainOverlay). */
export function overlayFigure(data: Data[], frame: OverlayFrame): { data: Data[]; layout: Partial<Layout> } {
  const axis = (range: [number, number]) => ({ range, visible: false, fixedrange: true });
  return {
    data,
    layout: {
      paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', showlegend: true, hovermode: false,
      margin: frame.margin, xaxis: axis(frame.x), yaxis: axis(frame.y),
      // in the room the map leaves right of its plot area, off the points
      legend: { orientation: 'v', x: 1.01, xanchor: 'left', y: 1, yanchor: 'top', bgcolor: 'rgba(255,255,255,0.75)', font: { size: 11 } },
    },
  };
}

/** Where the map's plot area is: its margins and axis ranges, copied onto the overlay. */
export interface OverlayFrame {
  margin: { l: number; r: number; t: number; b: number };
  x: [number, number];
  y: [number, number];
}

/** Upper-level paths drawn, each its own trace; more levels than this add traces (and a full redraw). */
const PATH_SLOTS = 8;

/**
 * The layer's traces for one step, always the same traces in the same order (the absent ones
 * empty): plotly then updates them in place, where a change in their number or kinds would make it
 * redraw the whole layer and, for the WebGL ones, set up their context again.
 */
export function explainTraces(args: { run: ExplainRun; map: StepMap; plane: Static; theme: ChartTheme; query: { x: number; y: number } | null }): Data[] {
  const { run, map, plane, theme } = args;
  const e = run.explanation;
  const colours = theme.categories;
  const none = { x: [] as number[], y: [] as number[] };
  // an empty trace draws nothing; only its legend entry needs hiding
  const shown = (on: boolean) => ({ showlegend: on });

  const ivf = map.lists && run.rowLists && e.ivf ? { lists: map.lists, ivf: e.ivf, layer: listLayer(run.rowLists, e.ivf.nlist, plane, colours.length), rowLists: run.rowLists } : null;
  // the map itself is coloured by list (listColour); the lit lists' rows are drawn again, bright
  const litRowIds = ivf?.lists.lit.length ? litRows(ivf.rowLists, ivf.lists.lit) : [];
  const litCount = ivf?.lists.lit.length ?? 0;
  const scanned: Data = {
    type: 'scattergl', mode: 'markers', name: `scanned: ${litCount} ${litCount === 1 ? 'list' : 'lists'}, ${litRowIds.length.toLocaleString('en-US')} vectors`,
    ...shown(litRowIds.length > 0), ...pick(plane, litRowIds),
    marker: { size: 4.5, color: ivf ? litRowIds.map((r) => ivf.layer.colour[r]) : [], colorscale: categoryScale(colours), cmin: 0, cmax: colours.length, opacity: 0.95 },
    hoverinfo: 'skip',
  };

  let centroids: Data = { type: 'scatter', mode: 'markers', name: 'centroids (× = list centre)', ...shown(false), ...none };
  if (ivf) {
    const { layer, lists: at } = ivf;
    const rank = new Map(ivf.ivf.order.map((l, i) => [l, i]));
    const lists = Array.from({ length: ivf.ivf.nlist }, (_, l) => l).filter((l) => Number.isFinite(layer.cx[l]));
    const lit = new Set(at.lit);
    centroids = {
      type: 'scatter', mode: 'text+markers', name: 'centroids (× = list centre)', ...shown(true),
      x: lists.map((l) => layer.cx[l]), y: lists.map((l) => layer.cy[l]),
      text: lists.map((l) => (at.ranked && (lit.has(l) || rank.get(l)! < 3) ? `#${rank.get(l)! + 1}` : '')),
      textposition: 'top center', textfont: { size: 12, color: theme.text },
      hovertext: lists.map((l) => `list ${l}: ${ivf.ivf.sizes[l].toLocaleString('en-US')} vectors, ranked ${rank.get(l)! + 1} of ${ivf.ivf.nlist} for this query`),
      hovertemplate: '%{hovertext}<extra></extra>',
      marker: { symbol: 'x-thin', size: lists.map((l) => (lit.has(l) ? 14 : 8)), color: lists.map((l) => (lit.has(l) ? theme.focus : theme.muted)), line: { width: 2, color: lists.map((l) => (lit.has(l) ? theme.focus : theme.muted)) } },
    } as Data;
  }

  const visitedRows = map.visited ?? [];
  const v = pick(plane, visitedRows);
  const visited: Data = {
    type: 'scattergl', mode: 'markers', name: `visited on level 0: ${visitedRows.length.toLocaleString('en-US')} (colour = order)`, ...shown(visitedRows.length > 0), ...v,
    marker: { size: 5, color: v.x.map((_, i) => i), colorscale: 'Viridis', opacity: 0.85 },
    hoverinfo: 'skip',
  };

  const paths = map.paths ?? [];
  const pathTraces: Data[] = Array.from({ length: Math.max(PATH_SLOTS, paths.length) }, (_, i) => {
    const p = paths[i];
    const colour = colours[(i + 2) % colours.length];
    return {
      type: 'scatter', mode: 'lines+markers', name: p ? `level ${p.level}: ${p.nodes.length - 1} ${p.nodes.length === 2 ? 'hop' : 'hops'}` : 'level path', ...shown(!!p),
      ...(p ? pick(plane, p.nodes) : none), text: p ? p.nodes.map(String) : [],
      line: { width: 3, color: colour },
      marker: { size: 9, color: colour, line: { width: 1, color: theme.neighbourLine } },
      hovertemplate: `level ${p?.level ?? ''} · node %{text}<extra></extra>`,
    } as Data;
  });

  const answer = map.answer ?? [];
  const answerTrace: Data = {
    type: 'scatter', mode: 'markers', name: `answer (${answer.length})`, ...shown(answer.length > 0), ...pick(plane, answer),
    text: answer.map((id, r) => `rank ${r + 1} · id ${id}`), hovertemplate: '%{text}<extra></extra>',
    marker: { size: 9, color: theme.neighbour, line: { width: 1, color: theme.neighbourLine } },
  };

  const missed = (map.missed ?? []).filter((m) => m.id >= 0 && m.id < plane.x.length);
  const at = pick(plane, missed.map((m) => m.id));
  const span = spanOf(plane);
  // a label is about a sixth of the map wide and a fifteenth tall (text and ring) at the map's full extent
  const text = missedLabels(missed.map((m, i) => ({ x: at.x[i], y: at.y[i], nprobe: m.nprobe })), { x: span.x / 6, y: span.y / 15 });
  const missedTrace = {
    type: 'scatter', mode: 'text+markers', name: `missed exact neighbours (${missed.length})`, ...shown(missed.length > 0), ...at,
    text, textposition: 'bottom center', textfont: { size: 11, color: theme.missed },
    hovertext: missed.map((m) => m.note), hovertemplate: '%{hovertext}<extra></extra>',
    marker: { size: 13, color: 'rgba(0,0,0,0)', symbol: 'circle-open', line: { width: 2.5, color: theme.missed } },
  } as Data;

  const entry = map.entry !== undefined ? [map.entry] : [];
  const entryTrace = {
    type: 'scatter', mode: 'text+markers', name: 'entry point', ...shown(entry.length > 0), ...pick(plane, entry), text: entry.map(() => 'entry'), textposition: 'top center',
    textfont: { size: 12, color: theme.text }, marker: { size: 16, symbol: 'diamond', color: theme.selection, line: { width: 1.5, color: theme.neighbourLine } },
    hovertemplate: `entry point · node ${map.entry ?? ''}<extra></extra>`,
  } as Data;

  const current = map.current !== undefined && map.current !== map.entry ? [map.current] : [];
  const currentTrace: Data = {
    type: 'scatter', mode: 'markers', name: 'this step\'s node', ...shown(current.length > 0), ...pick(plane, current),
    marker: { size: 20, color: 'rgba(0,0,0,0)', line: { width: 3, color: theme.focus } }, hovertemplate: `node ${map.current ?? ''}<extra></extra>`,
  };

  // a faint disc under the query star, in WebGL: it marks the query on a dense map, and being drawn
  // from a run's first step it sets up the layer's WebGL there, not on the first step that lights lists
  const halo: Data = {
    type: 'scattergl', mode: 'markers', name: 'query halo', showlegend: false, x: args.query ? [args.query.x] : [], y: args.query ? [args.query.y] : [],
    marker: { size: 34, color: theme.query, opacity: 0.18 }, hoverinfo: 'skip',
  };
  const query: Data = {
    type: 'scatter', mode: 'markers', name: 'query', ...shown(!!args.query), x: args.query ? [args.query.x] : [], y: args.query ? [args.query.y] : [],
    marker: { size: 18, symbol: 'star', color: theme.query, line: { width: 1.5, color: theme.neighbourLine } }, hovertemplate: 'the query<extra></extra>',
  };
  return [halo, scanned, centroids, visited, ...pathTraces, answerTrace, missedTrace, entryTrace, currentTrace, query];
}

/** The map's full width and height, once per plane. */
function spanOf(plane: Static): { x: number; y: number } {
  let span = spans.get(plane);
  if (!span) {
    const extent = (v: Float32Array) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < v.length; i++) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
      }
      return v.length ? hi - lo : 0;
    };
    spans.set(plane, (span = { x: extent(plane.x), y: extent(plane.y) }));
  }
  return span;
}
const spans = new WeakMap<Static, { x: number; y: number }>();

/** The query's distance table (M rows × ksub cells) as a heatmap, with one answer's code picked out. */
export function pqHeatmapFigure(pq: NonNullable<Explanation['pq']>, pickAnswer: number | null, theme: ChartTheme): { data: Data[]; layout: Partial<Layout> } {
  const table = pickAnswer !== null ? (pq.table_of[pickAnswer] ?? 0) : 0;
  const z: number[][] = [];
  for (let m = 0; m < pq.M; m++) z.push(pq.tables.slice((table * pq.M + m) * pq.ksub, (table * pq.M + m + 1) * pq.ksub));
  const data: Data[] = [
    {
      type: 'heatmap', z, colorscale: 'Viridis', reversescale: true, name: 'distance table',
      colorbar: { title: { text: 'distance', side: 'right' }, thickness: 10, tickfont: { size: 10, color: theme.muted } },
      hovertemplate: 'sub-quantizer %{y} · centroid %{x}: %{z:.4g}<extra></extra>',
    } as Data,
  ];
  if (pickAnswer !== null) {
    const code = pq.codes.slice(pickAnswer * pq.M, (pickAnswer + 1) * pq.M);
    data.push({
      type: 'scatter', mode: 'markers', name: 'the code\'s cells', x: code, y: code.map((_, m) => m),
      marker: { symbol: 'square-open', size: Math.max(8, Math.min(18, 360 / pq.ksub)), color: theme.query, line: { width: 3, color: theme.query } },
      hovertemplate: 'picked: sub-quantizer %{y}, centroid %{x}<extra></extra>',
    });
  }
  return {
    data,
    layout: {
      paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: theme.plotBg, font: { size: 11, color: theme.text },
      margin: { l: 44, r: 8, t: 8, b: 36 }, showlegend: false,
      xaxis: { title: { text: `centroid (0–${pq.ksub - 1})` }, color: theme.muted },
      yaxis: { title: { text: 'sub-quantizer' }, autorange: 'reversed', color: theme.muted, dtick: pq.M > 16 ? 4 : 1 },
    },
  };
}
