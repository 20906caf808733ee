import { EngineError } from '../../../app/contract/errors.js';
import type { Explanation, ExplainWorkerOps } from '../../../app/contract/explain.js';
import type { Metric } from '../../../app/contract/operations.js';
import { isMeasured } from '../../../app/eval/missing.js';
import { exactDistance, meanRecall, recallPerQuery } from '../../../app/eval/recall.js';
import { indexPipeline } from '../../../app/explain/index-kind.js';
import { replayHnswSearch } from '../../../app/explain/hnsw-replay.js';
import { listRanks, nprobeForAll, reachableByNprobe, scannedByNprobe } from '../../../app/explain/ivf-view.js';
import { approxDistance, exactOrder, refine } from '../../../app/explain/pq-view.js';
import { searchParamString } from '../../../app/indexes/search-params.js';
import type { FaissIndex, HnswGraph } from '../faiss-binding.js';
import { exactIndex, metricBase } from './knn-graph.js';
import { datasets, faissCall, getIndex, type Dataset, type Handlers, type LoadedIndex } from './state.js';
import { prepareQueries } from './vectors.js';

// Explaining one search with faiss's own internals: the graph, the probe order, the PQ tables.

type In = ExplainWorkerOps['explain']['in'];
const K_FACTOR = 4;

/** Internals copied out of an index, kept while its size does not change (adds change it). */
function cached<T>(store: WeakMap<FaissIndex, { ntotal: number; value: T }>, index: FaissIndex, read: () => T): T {
  const hit = store.get(index);
  if (hit && hit.ntotal === index.ntotal()) return hit.value;
  const value = read();
  store.set(index, { ntotal: index.ntotal(), value });
  return value;
}
const graphs = new WeakMap<FaissIndex, { ntotal: number; value: HnswGraph }>();
const listOfRows = new WeakMap<FaissIndex, { ntotal: number; value: { sizes: Int32Array; rowList: Int32Array } }>();

/** The list holding each row (-1: none), indexed by id: IVF ids are rows. */
function listsOfRows(ix: LoadedIndex): { sizes: Int32Array; rowList: Int32Array } {
  return cached(listOfRows, ix.index, () => {
    // a non-IVF index is a request error, not a faiss failure
    const l = faissCall('IVF lists', () => ix.index.ivfListIds(), 'BAD_REQUEST');
    // as long as ntotal, not the largest id: a crafted file's id of 2^31 would ask for 8 GiB (an
    // id past ntotal is no row of the map, and lists() says -1 for it)
    const rowList = new Int32Array(ix.index.ntotal()).fill(-1);
    let at = 0;
    l.sizes.forEach((size, list) => {
      for (let j = 0; j < size; j++) {
        const id = l.ids[at++];
        if (id >= 0 && id < rowList.length) rowList[id] = list;
      }
    });
    return { sizes: l.sizes, rowList };
  });
}

const finite = (d: number) => (isMeasured(d) ? d : null);
const larger = (metric: Metric) => metric !== 'l2';

function neighbours(labels: ArrayLike<number | bigint>, distances: Float32Array) {
  return { labels: Array.from(labels, Number), distances: Array.from(distances, finite) };
}

function exactDistances(ds: Dataset, metric: Metric, x: Float32Array, ids: readonly number[]): number[] {
  const distance = exactDistance(metricBase(ds, metric), x, ds.dim, metric);
  return ids.map((id) => distance(0, id));
}

function ivfSteps(ix: LoadedIndex, x: Float32Array, nprobe: number, answer: number[], exact: number[] | undefined): NonNullable<Explanation['ivf']> {
  const { sizes, rowList } = listsOfRows(ix);
  const nlist = sizes.length;
  if (nprobe > nlist) throw new EngineError('BAD_PARAM', `nprobe ${nprobe} is more than the index's ${nlist} lists`);
  const probe = faissCall('IVF probe', () => ix.index.ivfProbe(x, nlist));
  const rank = listRanks(probe.lists, nlist);
  const scanned = Array.from(probe.lists.subarray(0, nprobe)).reduce((s, l) => s + sizes[l], 0);
  const lists = (ids: number[]) => ids.map((id) => (id < 0 || id >= rowList.length ? -1 : rowList[id]));
  const steps: NonNullable<Explanation['ivf']> = {
    nlist,
    nprobe,
    order: Array.from(probe.lists),
    order_distances: Array.from(probe.distances),
    sizes: Array.from(sizes),
    scanned,
    answer_lists: lists(answer),
    scanned_by_nprobe: Array.from(scannedByNprobe(probe.lists, sizes)),
  };
  if (exact) {
    const exactLists = lists(exact);
    const ranks = Int32Array.from(exactLists, (l) => (l < 0 ? -1 : rank[l]));
    Object.assign(steps, {
      exact_lists: exactLists,
      exact_list_ranks: Array.from(ranks),
      reachable_by_nprobe: Array.from(reachableByNprobe(ranks, nlist)),
      nprobe_for_all: nprobeForAll(ranks),
    });
  }
  return steps;
}

function hnswSteps(ix: LoadedIndex, x: Float32Array, k: number, efSearch: number | undefined, answer: number[]): { steps: NonNullable<Explanation['hnsw']>; distanceCount: number } {
  const g = cached(graphs, ix.index, () => faissCall('HNSW graph', () => ix.index.hnswGraph()));
  const ef = efSearch ?? g.efSearch;
  const r = replayHnswSearch(g, { k, efSearch: ef, checkRelativeDistance: g.checkRelativeDistance }, (ids) => ix.index.searchDistances(x, ids));
  // HNSW minimises negated inner products; shown in the metric's own sign
  const sign = ix.metric === 'l2' ? 1 : -1;
  const signed = (d: ArrayLike<number>) => Array.from(d, (v) => sign * v);
  const perLevel: number[] = new Array(g.maxLevel + 1).fill(0);
  for (const l of g.levels) perLevel[l - 1]++;
  const steps = {
    ef_search: ef,
    max_level: g.maxLevel,
    nodes_per_level: perLevel,
    entry: { node: r.entry.node, distance: sign * r.entry.distance },
    upper: r.upper.map((w) => ({ level: w.level, path: w.path, path_distances: signed(w.pathDistances), distances: w.distances })),
    level0: {
      expanded: Array.from(r.level0.expanded),
      visited: Array.from(r.level0.visited),
      visited_distances: signed(r.level0.visitedDistances),
      visited_end: Array.from(r.level0.visitedEnd),
      candidates: Array.from(r.level0.candidates),
      kth: Array.from(r.level0.kth, (d) => finite(sign * d)),
      stop: r.level0.stop,
    },
    matches_faiss: Array.from(r.labels).every((l, i) => l === answer[i]),
  };
  return { steps, distanceCount: r.distanceCount };
}

function pqSteps(ix: LoadedIndex, x: Float32Array, k: number, params: string, answer: number[], ds: Dataset | undefined, exact: number[] | undefined): Explanation['pq'] {
  const found = answer.filter((l) => l >= 0);
  const t = faissCall('PQ tables', () => ix.index.pqTables(x, found.map(BigInt)));
  const steps: NonNullable<Explanation['pq']> = {
    M: t.M,
    ksub: t.ksub,
    tables: Array.from(t.tables),
    table_of: Array.from(t.tableOf),
    codes: Array.from(t.codes),
    bias: Array.from(t.bias),
    approx: found.map((_, i) => approxDistance(t, i)),
  };
  if (ds && exact) {
    const exactD = exactDistances(ds, ix.metric, x, found);
    const more = faissCall('search', () => ix.index.search(x, k * K_FACTOR, params));
    const candidates = Array.from(more.labels, Number).filter((l) => l >= 0);
    const pad = (ids: number[]) => [...ids, ...new Array<number>(Math.max(0, k - ids.length)).fill(-1)];
    const refined = pad(refine(found, exactD, k, larger(ix.metric)));
    const kFactor = pad(refine(candidates, exactDistances(ds, ix.metric, x, candidates), k, larger(ix.metric)));
    Object.assign(steps, {
      exact_distances: exactD,
      exact_order: exactOrder(found, exactD, larger(ix.metric)),
      refined: { labels: refined, recall: queryRecall(ds, ix.metric, x, refined, exact, k), k_factor: K_FACTOR, k_factor_labels: kFactor, k_factor_recall: queryRecall(ds, ix.metric, x, kFactor, exact, k) },
    });
  }
  return steps;
}

/** One query's recall@k, ties counted as found as everywhere else in the app. */
function queryRecall(ds: Dataset, metric: Metric, x: Float32Array, approx: number[], exact: number[], k: number): number {
  const distance = exactDistance(metricBase(ds, metric), x, ds.dim, metric);
  return meanRecall(recallPerQuery({ ids: approx, width: approx.length }, { ids: exact, width: exact.length }, 1, k, distance, metric));
}

export const explainOps: Handlers<keyof ExplainWorkerOps> = {
  async explain(input: In) {
    const ix = getIndex(input.index);
    const x = prepareQueries({ ...input, queries: input.query, dataset: input.dataset ?? '' }, ix);
    if (x.length !== ix.dim) throw new EngineError('BAD_REQUEST', `explain takes one query, not ${x.length / ix.dim}`);
    const params = searchParamString(input.params);
    const r = faissCall('search', () => ix.index.search(x, input.k, params));
    const answer = Array.from(r.labels, Number);
    const ntotal = ix.index.ntotal();
    const ds = input.dataset ? datasets.get(input.dataset) : undefined;
    const linked = ds && ds.n === ntotal && ds.dim === ix.dim ? ds : undefined;
    const exactR = linked ? faissCall('exact search', () => exactIndex(linked, ix.metric).search(x, input.k)) : undefined;
    const exact = exactR ? Array.from(exactR.labels, Number) : undefined;
    const p = indexPipeline(input.factory || ix.index.className());
    const out: Explanation = {
      kind: p.kind,
      factory: input.factory,
      pipeline: p.pipeline,
      note: p.note,
      metric: ix.metric,
      ntotal,
      k: input.k,
      answer: neighbours(answer, r.distances),
      distance_count: ntotal,
    };
    if (exactR && exact) {
      out.exact = neighbours(exact, exactR.distances);
      out.recall = queryRecall(linked!, ix.metric, x, answer, exact, input.k);
    }
    if (p.kind === 'ivf') {
      const ivf = ivfSteps(ix, x, input.params?.nprobe ?? 1, answer, exact);
      out.ivf = ivf;
      out.distance_count = ivf.nlist + ivf.scanned;
    }
    if (p.kind === 'hnsw') {
      const h = hnswSteps(ix, x, input.k, input.params?.efSearch, answer);
      out.hnsw = h.steps;
      out.distance_count = h.distanceCount;
    }
    if (p.pq && p.kind !== 'hnsw') out.pq = pqSteps(ix, x, input.k, params, answer, linked, exact);
    return out;
  },

  async ivfAssignment({ index }) {
    const ix = getIndex(index);
    const { sizes, rowList } = listsOfRows(ix);
    return { lists: rowList.slice(0, ix.index.ntotal()), nlist: sizes.length };
  },
};
