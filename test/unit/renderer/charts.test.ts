import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Projection } from '../../../app/contract/operations.js';
import { distanceFigure } from '../../../renderer/src/charts/distance-figure.js';
import { histogramFigure } from '../../../renderer/src/charts/histogram-figure.js';
import { colourFromColumn, wholeNumberCategories } from '../../../renderer/src/charts/colour-spec.js';
import { kthDistances } from '../../../app/eval/missing.js';
import { TRACE, depthProblem, neighbourBox, planeOf, projectionFigure } from '../../../renderer/src/charts/projection-figure.js';
import { chartTheme } from '../../../renderer/src/charts/theme.js';
import { formatBytes, formatDistance, formatMs, percent, plainWords } from '../../../renderer/src/format.js';
import type { QueryResult } from '../../../renderer/src/store/query-slice.js';

const projection: Projection = {
  dataset: 'd',
  method: 'pca',
  base: new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]),
  queries: new Float32Array([10, 11, 12, 13]),
  labels: new Int32Array([0, 1, 2, 1]),
  explained: [0.6, 0.00012],
};

const result: QueryResult = {
  dataset: 'd', index: 'i', source: 'queryRows', row: 1, k: 3,
  ids: new Float64Array([2, 0, -1]), distances: new Float32Array([0.1, 0.2, Infinity]), tookMs: 1, params: {}, ignoredParams: [],
};

const theme = chartTheme(false);

describe('projection figure', () => {
  it('splits interleaved x,y once per projection', () => {
    const plane = planeOf(projection);
    assert.deepEqual([...plane.x], [0, 2, 4, 6]);
    assert.deepEqual([...plane.y], [1, 3, 5, 7]);
    assert.deepEqual([...plane.qx], [10, 12]);
    assert.equal(plane.classes, 3);
    assert.equal(planeOf(projection), plane);
  });

  it('draws every base point from typed arrays and names the variance on the axes', () => {
    const fig = projectionFigure({ projection, result: null, focusedRank: null, theme });
    const base = fig.data[TRACE.base] as { x: unknown; type: string; marker: { color: unknown } };
    assert.equal(base.type, 'scattergl');
    assert.ok(base.x instanceof Float32Array);
    assert.equal(base.marker.color, projection.labels, 'coloured by label, without copying');
    const layout = fig.layout as { xaxis: { title: { text: string } }; yaxis: { title: { text: string } } };
    assert.equal(layout.xaxis.title.text, 'PC1 (60.0% of variance)');
    assert.equal(layout.yaxis.title.text, 'PC2 (0.012% of variance)');
  });

  it('highlights the query and its neighbours, skipping missing ones', () => {
    const fig = projectionFigure({ projection, result, focusedRank: 1, theme });
    const nb = fig.data[TRACE.neighbours] as { x: Float32Array; y: Float32Array };
    assert.deepEqual([...nb.x], [4, 0]);
    const q = fig.data[TRACE.query] as { x: number[]; y: number[] };
    assert.deepEqual([q.x, q.y], [[12], [13]], 'query-set row 1 is drawn from the queries plane');
    const focus = fig.data[TRACE.focus] as { x: Float32Array };
    assert.deepEqual([...focus.x], [0]);
    assert.equal(fig.rowsOf(TRACE.base, 3), 3);
    assert.equal(fig.rowsOf(TRACE.neighbours, 0), 2);
    assert.equal(fig.rowsOf(TRACE.query, 0), null);
  });

  it('ignores a result that belongs to another dataset', () => {
    const fig = projectionFigure({ projection, result: { ...result, dataset: 'other' }, focusedRank: null, theme });
    assert.equal((fig.data[TRACE.neighbours] as { x: Float32Array }).x.length, 0);
  });
});

describe('projection figure in 3D', () => {
  const deep: Projection = {
    ...projection,
    baseZ: new Float32Array([0.5, 1.5, 2.5, 3.5]),
    queriesZ: new Float32Array([9, 19]),
    explained: [0.6, 0.2, 0.05],
  };
  type Trace = { type: string; x: ArrayLike<number | null>; y: ArrayLike<number | null>; z?: ArrayLike<number | null>; marker?: { symbol?: unknown } };

  it('draws every trace as scatter3d, the base from the third axis without copying, and names three axes', () => {
    const fig = projectionFigure({ projection: deep, result: null, focusedRank: null, theme, dims: 3 });
    const traces = fig.data as Trace[];
    assert.deepEqual(new Set(traces.map((t) => t.type)), new Set(['scatter3d']));
    assert.equal(traces[TRACE.base].z, deep.baseZ);
    for (const t of traces) assert.equal(t.z?.length, t.x.length, 'every trace has a z per x');
    const layout = fig.layout as { scene: Record<'xaxis' | 'yaxis' | 'zaxis', { title: { text: string } }>; xaxis?: unknown; dragmode?: unknown };
    assert.deepEqual(
      [layout.scene.xaxis, layout.scene.yaxis, layout.scene.zaxis].map((a) => a.title.text),
      ['PC1 (60.0%)', 'PC2 (20.0%)', 'PC3 (5.0%)'],
    );
    assert.equal(layout.xaxis, undefined, 'no 2D axes beside the scene');
    assert.equal(layout.dragmode, undefined, "2D drag modes do not reach the scene's turning");
  });

  it('lifts the query, its neighbours and their lines to the third axis, with symbols scatter3d has', () => {
    const fig = projectionFigure({ projection: deep, result, focusedRank: 1, theme, dims: 3, marks: { wrong: [false, true, false], missed: [1], recall: 0.5 } });
    const traces = fig.data as Trace[];
    assert.deepEqual(Array.from(traces[TRACE.neighbours].z!), [2.5, 0.5], 'rows 2 and 0');
    assert.deepEqual(Array.from(traces[TRACE.query].z!), [19], 'query-set row 1 from the queries depth');
    assert.deepEqual(Array.from(traces[TRACE.lines].z!), [19, 2.5, null, 19, 0.5, null]);
    assert.deepEqual(Array.from(traces[TRACE.focus].z!), [0.5]);
    assert.deepEqual(Array.from(traces[TRACE.missed].z!), [1.5], 'exact row 1 was not returned');
    const symbols = new Set(['circle', 'circle-open', 'square', 'square-open', 'diamond', 'diamond-open', 'cross', 'x']);
    for (const t of traces) {
      for (const s of [t.marker?.symbol ?? 'circle'].flat()) assert.ok(symbols.has(s as string), `scatter3d cannot draw "${String(s)}"`);
    }
    assert.equal(fig.rowsOf(TRACE.neighbours, 1), 0, 'clicks map back to rows as in 2D');
  });

  it('stays flat where there is no third axis, and says why', () => {
    assert.equal(depthProblem(deep), null);
    assert.match(depthProblem({ ...projection, method: 'umap' })!, /UMAP is laid out in 2D only/);
    assert.match(depthProblem(projection)!, /3D needs 3\+ dimensions/);
    const fig = projectionFigure({ projection, result, focusedRank: null, theme, dims: 3 });
    assert.equal((fig.data[TRACE.base] as Trace).type, 'scattergl');
    assert.equal((fig.data[TRACE.neighbours] as Trace).z, undefined);
  });
});

describe('map geometry', () => {
  it('ties the y axis to the x axis in 2D, so a unit is as long either way', () => {
    const y = projectionFigure({ projection, result: null, focusedRank: null, theme }).layout.yaxis as { scaleanchor?: string; scaleratio?: number };
    assert.deepEqual([y.scaleanchor, y.scaleratio], ['x', 1]);
  });

  it('frames the query and its neighbours in a square window around them', () => {
    // base rows 2 (4, 5) and 0 (0, 1); the query is query-set row 1 at (12, 13)
    const box = neighbourBox(projection, result)!;
    for (const [x, y] of [[4, 5], [0, 1], [12, 13]]) assert.ok(x > box.x[0] && x < box.x[1] && y > box.y[0] && y < box.y[1], `${x},${y} inside`);
    assert.ok(Math.abs(box.x[1] - box.x[0] - (box.y[1] - box.y[0])) < 1e-9);
    assert.equal(neighbourBox(projection, null), null);
    assert.equal(neighbourBox(projection, { ...result, dataset: 'other' }), null, "another dataset's result");
  });
});

describe('distance figure', () => {
  it('bars the found distances by rank, marks the focused one, and leaves out places faiss could not fill', () => {
    const fig = distanceFigure({ result, measure: 'squared L2 distance', focusedRank: 0, theme });
    const bar = fig.data[0] as { x: number[]; y: number[]; text: string[]; marker: { color: string[] } };
    assert.deepEqual(bar.x, [1, 2]);
    assert.deepEqual(bar.y, [result.distances[0], result.distances[1]]);
    assert.deepEqual(bar.text, ['2', '0']);
    assert.equal(bar.marker.color[0], theme.barFocus);
    assert.equal(bar.marker.color[1], theme.bar);
    // faiss's own filler for a missing neighbour is -1 with FLT_MAX, a finite number
    const ivf = { ...result, ids: new Float64Array([4, -1]), distances: new Float32Array([5.3, 3.4028234663852886e38]) };
    assert.deepEqual((distanceFigure({ result: ivf, measure: 'd', focusedRank: null, theme }).data[0] as { y: number[] }).y, [ivf.distances[0]]);
  });

  it('starts its axis at zero, however close the distances are (bars compare magnitudes)', () => {
    const close = { ...result, ids: new Float64Array([1, 2, 3]), distances: new Float32Array([5.3, 5.4, 5.5]) };
    const y = distanceFigure({ result: close, measure: 'd', focusedRank: null, theme }).layout.yaxis!;
    assert.equal(y.rangemode, 'tozero');
    assert.equal(y.range, undefined);
  });
});

describe('formatting', () => {
  it('says numbers the way the panels show them', () => {
    assert.equal(formatBytes(25_600_045), '24.4 MiB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatMs(0), '0 ms');
    assert.equal(formatMs(84.2), '84 ms');
    assert.equal(formatMs(1500), '1.50 s');
    assert.equal(formatDistance(6.557891), '6.5579');
    assert.equal(formatDistance(0.0000123), '1.230e-5');
    assert.equal(percent(1, 4), 25);
    assert.equal(percent(1, 0), 0);
  });

  it('drops the C++ location from faiss messages', () => {
    const raw = "Faiss cannot build \"X\": Error in std::unique_ptr<faiss::Index> faiss::f(int) at ./faiss/index_factory.cpp:871: Error: 'index_ivf' failed: could not parse";
    assert.equal(plainWords(raw), "Faiss cannot build \"X\": 'index_ivf' failed: could not parse");
  });
});

describe('missing neighbours in statistics', () => {
  it("never let faiss's -1 / FLT_MAX filler into the k-th distance histogram", () => {
    // an IVF index found two neighbours for row 0 and only one for row 1
    const kth = kthDistances([7, 8, 9, -1], [1, 2, 3, 3.4028234663852886e38], 2, 2);
    assert.equal(kth[0], 2);
    assert.ok(Number.isNaN(kth[1]));
    const fig = histogramFigure({ values: Float32Array.from([1, 2, 3.4028234663852886e38]), measure: 'd', mark: null, theme, title: 't' });
    const h = fig.data[0] as { x: Float32Array; xbins: { end: number } };
    assert.deepEqual([...h.x], [1, 2]);
    assert.equal(h.xbins.end, 2);
  });
});

describe('categorical palette', () => {
  /** sRGB hex to CIELAB, after an optional colour-vision simulation in linear RGB */
  function lab(hex: string, simulate?: number[][]): [number, number, number] {
    const lin = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    const rgb = simulate ? simulate.map((row) => row.reduce((s, m, j) => s + m * lin[j], 0)) : lin;
    const [x, y, z] = [
      (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047,
      0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2],
      (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883,
    ].map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116));
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
  }
  const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  // Viénot, Brettel and Mollon's (1999) dichromat projections, in linear RGB
  const DEUTAN = [[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]];
  const PROTAN = [[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]];

  for (const dark of [false, true]) {
    it(`${dark ? 'dark' : 'light'}: 24 distinct colours, the first ten apart for deutan and protan eyes too`, () => {
      const colours = chartTheme(dark).categories;
      assert.ok(colours.length >= 24);
      assert.equal(new Set(colours).size, colours.length);
      for (const [name, sim] of [['normal', undefined], ['deutan', DEUTAN], ['protan', PROTAN]] as const) {
        for (let i = 0; i < 10; i++) {
          for (let j = i + 1; j < 10; j++) {
            const d = distance(lab(colours[i], sim as number[][] | undefined), lab(colours[j], sim as number[][] | undefined));
            assert.ok(d >= 10, `${name}: ${colours[i]} and ${colours[j]} are ${d.toFixed(1)} apart`);
          }
        }
      }
    });
  }
});

describe('colouring by a number column', () => {
  it('takes a few distinct whole numbers as classes in increasing order, unless switched off; a measure stays a scale', () => {
    const digits = colourFromColumn('label', { kind: 'number', values: Float64Array.from([3, 0, 9, 3, Number.NaN, 1]) });
    assert.equal(digits.kind, 'category');
    assert.deepEqual(digits.kind === 'category' && [[...digits.codes], digits.names], [[2, 0, 3, 2, -1, 1], ['0', '1', '3', '9']]);
    assert.equal(colourFromColumn('label', { kind: 'number', values: Float64Array.from([3, 0, 9]) }, false).kind, 'number', 'the switch');
    assert.equal(colourFromColumn('score', { kind: 'number', values: Float64Array.from([0.5, 1, 2]) }).kind, 'number', 'not whole');
    assert.equal(wholeNumberCategories(Float64Array.from({ length: 100 }, (_, i) => i)), null, 'too many to be classes');
  });

  it('takes a category hidden in the legend off the map, so its points cannot be hovered, clicked or selected; the others stay where they were', () => {
    const fig = projectionFigure({ projection, result: null, focusedRank: null, theme, hidden: [1] });
    const base = fig.data[TRACE.base] as { x: Float32Array; y: Float32Array; marker: { colorscale: [number, string][] } };
    assert.deepEqual([...base.x], [0, Number.NaN, 4, Number.NaN], 'rows 1 and 3 have label 1');
    assert.deepEqual([...base.y], [1, Number.NaN, 5, Number.NaN]);
    assert.equal(fig.rowsOf(TRACE.base, 2), 2, 'point i is still row i');
    assert.equal(base.marker.colorscale[4][1], theme.categories[2], 'the others keep their colours');
    const all = projectionFigure({ projection, result: null, focusedRank: null, theme, hidden: [] }).data[TRACE.base] as { x: Float32Array };
    assert.deepEqual([...all.x], [0, 2, 4, 6]);
  });
});
