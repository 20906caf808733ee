import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UmapResult } from '../../../app/contract/explore.js';
import type { OpName, Projection } from '../../../app/contract/operations.js';
import { UMAP_DEFAULTS } from '../../../app/projection/umap-options.js';
import { sampledColour } from '../../../renderer/src/charts/colour-spec.js';
import { TRACE, projectionFigure } from '../../../renderer/src/charts/projection-figure.js';
import { chartTheme } from '../../../renderer/src/charts/theme.js';
import { batchTable, neighbourTable, selectionTable } from '../../../renderer/src/export-tables.js';
import type { QueryResult } from '../../../renderer/src/store/query-slice.js';
import { selectShownDims, selectShownProjection } from '../../../renderer/src/store/umap-slice.js';
import { FakeEngine, storeOnTutorial } from './fake-engine.js';
import { waitFor } from '../../helpers/wait-for.js';

/** The shared fake, taught the exploration operations this file needs. */
class ExploreEngine extends FakeEngine {
  private jobs = 0;
  override async call(op: OpName, input: any): Promise<unknown> {
    if (op === 'umap') {
      this.calls.push({ op, input });
      const job = `umap${++this.jobs}`;
      const d = this.datasets.find((x) => x.id === input.dataset)!;
      const result: UmapResult = { dataset: d.id, method: 'umap', base: new Float32Array(d.n * 2).fill(1), queries: new Float32Array(0), explained: [], params: input.params, knn_ms: 1, knn_graph: 'flat', knn_recall: 1, layout_ms: 2, cached: false };
      setTimeout(() => {
        this.emit({ type: 'progress', job, kind: 'umap', phase: 'epoch', done: 1, total: input.params.epochs });
        this.results.set(job, result);
        this.emit({ type: 'job-end', job, kind: 'umap', status: 'done' });
      }, 1);
      return { job };
    }
    if (op === 'rowInfo') {
      this.calls.push({ op, input });
      return { labels: input.rows.map((r: number) => `L${r % 3}`), columns: [{ name: 'title', values: input.rows.map((r: number) => `t${r}`) }] };
    }
    return super.call(op, input);
  }
}

const ready = () => storeOnTutorial(new ExploreEngine());

const theme = chartTheme(false);
const projection: Projection = { dataset: 'd', method: 'pca', base: new Float32Array([0, 0, 2, 0, 0, 2, 4, 4]), queries: new Float32Array(0), explained: [0.5, 0.2] };
const result: QueryResult = { dataset: 'd', index: 'i', source: 'baseRows', row: 0, k: 2, ids: new Float64Array([0, 3]), distances: new Float32Array([0, 32]), tookMs: 1, params: {}, ignoredParams: [] };

describe('UMAP slice', () => {
  it('runs UMAP as a job, shows it, and keeps it per dataset and parameters', async () => {
    const { store, engine } = await ready();
    await store.getState().runUmap();
    let s = store.getState();
    assert.equal(s.projectionMethod, 'umap');
    assert.equal(selectShownProjection(s)?.method, 'umap');
    assert.equal(s.umapJob, null);
    await s.runUmap();
    assert.equal(engine.count('umap'), 1, 'the same parameters come from the cache');
    s.setProjectionMethod('pca');
    assert.equal(selectShownProjection(store.getState())?.method, 'pca');
    s.setUmapParams({ nNeighbors: 1 });
    await store.getState().runUmap();
    s = store.getState();
    assert.equal(s.umapError?.code, 'BAD_PARAM');
    assert.equal(engine.count('umap'), 1);
    assert.deepEqual({ ...UMAP_DEFAULTS, nNeighbors: 1 }, s.umapParams);
  });
});

describe('2D or 3D', () => {
  it('a 3D choice shows PCA in 3D, UMAP flat (it has no third axis), and PCA in 3D again on the way back', async () => {
    const { store } = await ready();
    await waitFor(() => selectShownProjection(store.getState()) !== null);
    assert.equal(selectShownDims(store.getState()), 2, 'opens flat');
    store.getState().setProjectionDims(3);
    assert.equal(selectShownDims(store.getState()), 3);
    await store.getState().runUmap();
    assert.equal(selectShownDims(store.getState()), 2);
    assert.equal(store.getState().projectionDims, 3, 'the choice is kept');
    store.getState().setProjectionMethod('pca');
    assert.equal(selectShownDims(store.getState()), 3);
  });
});

describe('selection', () => {
  it('exports the selected rows with facts and map coordinates, named by the dataset\'s name, and the JSON says how they were made', async () => {
    const { store } = await ready();
    store.setState({ datasets: store.getState().datasets.map((d) => (d.id === 'tutorial' ? { ...d, name: 'faiss tutorial (d=64)' } : d)) });
    store.getState().setSelection([1, 2]);
    const csv = await store.getState().exportSelection('csv');
    assert.equal(csv?.text.split('\r\n')[0], 'id,x,y,label,title');
    assert.equal(csv?.name, 'faiss-tutorial-d-64-selection.csv');
    const json = JSON.parse((await store.getState().exportSelection('json'))!.text);
    assert.deepEqual(json.dataset, { name: 'faiss tutorial (d=64)', id: 'tutorial', n: 1000, dim: 8 });
    assert.equal(json.projection.method, 'pca');
    assert.deepEqual(json.rows[1], { id: 2, x: 0, y: 0, label: 'L2', title: 't2' });
    store.getState().setSelection([]);
    assert.equal(store.getState().selection, null);
  });

  it('waits for nothing when there is no selection', async () => {
    const { store } = await ready();
    assert.equal(await store.getState().exportSelection('csv'), null);
    await waitFor(() => store.getState().datasetId === 'tutorial');
  });
});

describe('projection figure with the exploration layers', () => {
  it('draws lines from the query to each neighbour, and marks wrong and missed neighbours against exact search', () => {
    // exact: rows 0 and 1; row 3 came back farther than the 2nd exact distance
    const fig = projectionFigure({ projection, result, focusedRank: null, theme, marks: { wrong: [false, true], missed: [1], recall: 0.5 } });
    const lines = fig.data[TRACE.lines] as { x: (number | null)[] };
    assert.deepEqual(lines.x, [0, 0, null, 0, 4, null]);
    const nb = fig.data[TRACE.neighbours] as { marker: { symbol: string[] } };
    assert.deepEqual(nb.marker.symbol, ['circle', 'x'], 'row 3 is not in the exact top 2');
    assert.equal(fig.rowsOf(TRACE.missed, 0), 1, 'row 1 was missed');
  });

  it('places a pasted vector among its neighbours, and maps a sampled overlay and a selection back to rows', () => {
    const vector: QueryResult = { ...result, source: 'vector', row: -1 };
    const recall = Float32Array.from([1, Number.NaN, 0.5, Number.NaN]);
    const fig = projectionFigure({ projection, result: vector, focusedRank: null, theme, colour: sampledColour('recall@2', recall, [0, 1], '.0%'), selection: [2, 3] });
    const q = fig.data[TRACE.query] as { x: number[]; y: number[] };
    assert.deepEqual([q.x, q.y], [[2], [2]]);
    assert.equal(fig.rowsOf(TRACE.overlay, 1), 2);
    assert.equal(fig.rowsOf(TRACE.selection, 1), 3);
    assert.equal(fig.rowsOf(TRACE.base, 3), 3);
  });
});

describe('export tables', () => {
  it('gives cosine both the similarity and 1 - similarity, marks exact membership, and adds facts', () => {
    const cos: QueryResult = { ...result, distances: new Float32Array([1, 0.75]) };
    const t = neighbourTable(cos, 'cosine', { labels: ['a', 'b'], columns: [] }, { wrong: [false, true], missed: [9], recall: 0.5 });
    assert.deepEqual(t.columns, ['rank', 'id', 'similarity', 'cosine_distance', 'within_exact_kth', 'label']);
    assert.deepEqual(t.rows[1], [2, 3, 0.75, 0.25, 'no', 'b']);
  });

  it('never writes two columns called label: a metadata column of that name keeps it, the labels become "labels"', () => {
    const facts = { labels: ['one', 'two'], columns: [{ name: 'label', values: [1, 2] }, { name: 'name', values: ['one', 'two'] }] };
    const sel = selectionTable([3, 1], null, facts, null);
    assert.deepEqual(sel.columns, ['id', 'labels', 'label', 'name']);
    assert.deepEqual(sel.rows[0], [3, 'one', 1, 'one']);
  });

  it('lists a batch one line per query and rank; a selection with the query distance', () => {
    const batch = { name: 'f', dataset: 'd', index: 'i', describe: ['q0', 'q1'], answer: { n: 2, k: 1, labels: new Float64Array([5, -1]), distances: new Float32Array([0.5, Infinity]), took_ms: 1, ignored_params: [] } };
    assert.deepEqual(batchTable(batch).rows, [[0, 'q0', 1, 5, 0.5], [1, 'q1', 1, null, Infinity]]);
    const sel = selectionTable([3, 1], projection, null, result);
    assert.deepEqual(sel.rows, [[3, 4, 4, 32], [1, 2, 0, null]]);
  });
});
