import type { Explanation } from '../contract/explain.js';

// One query's search as a list of steps a student reads one at a time: a plain sentence each,
// and what the map draws at that step (rows and lists, not coordinates: the renderer places them).

/** How numbers are written in the sentences; the UI passes its own formatters. */
export interface StepFormat {
  count(n: number): string;
  distance(d: number): string;
}

export interface StepMap {
  /** IVF: colour the points by list and draw the centroids; `lit` are the lists scanned so far */
  lists?: { lit: number[]; ranked: boolean };
  /** HNSW: the node the search entered at */
  entry?: number;
  /** HNSW: the greedy hops of each upper level walked so far, top first */
  paths?: { level: number; nodes: number[] }[];
  /** level 0: nodes whose distance was computed so far, in order */
  visited?: number[];
  /** the node this step works from */
  current?: number;
  /** the k answers (so far, or final) */
  answer?: number[];
  /** exact neighbours this search did not return, each with why */
  missed?: { id: number; note: string; nprobe?: number }[];
  /** PQ: show the distance table; `pick` is the answer whose code is drawn on it */
  pq?: { pick: number | null; wrong: boolean };
}

export interface ExplainStep {
  /** a few words for the step list */
  title: string;
  sentence: string;
  map: StepMap;
}

export interface StepOptions {
  /** IVF: the nprobe to show (the slider); defaults to the one searched */
  nprobe?: number;
  /** HNSW: at most this many level-0 steps (each then covers several expansions) */
  level0Steps?: number;
}

const pct = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);
const answerIds = (e: Explanation) => e.answer.labels.filter((l) => l >= 0);

function recallText(e: Explanation, f: StepFormat): string {
  if (e.recall === undefined || !e.exact) return '';
  const found = Math.round(e.recall * e.exact.labels.filter((l) => l >= 0).length);
  return ` It found ${f.count(found)} of the ${f.count(e.k)} exact nearest neighbours (recall ${e.recall.toFixed(2)}).`;
}

function missedBy(e: Explanation, note: (id: number, i: number) => string): { id: number; note: string }[] {
  if (!e.exact) return [];
  const got = new Set(answerIds(e));
  const out: { id: number; note: string }[] = [];
  e.exact.labels.forEach((id, i) => {
    if (id >= 0 && !got.has(id)) out.push({ id, note: note(id, i) });
  });
  return out;
}

function pipelineStep(e: Explanation): ExplainStep | null {
  const transforms = e.pipeline.filter((p) => /^(OPQ|PCA|RR|ITQ|L2norm|Pad)/.test(p));
  if (!transforms.length) return null;
  return {
    title: 'Pre-transform',
    sentence: `The query first goes through ${transforms.join(' then ')}, as the stored vectors did; the search then runs on the transformed vector.`,
    map: {},
  };
}

function flatSteps(e: Explanation, f: StepFormat): ExplainStep[] {
  const answer = answerIds(e);
  return [
    {
      title: 'Every distance',
      sentence: `A Flat index compares the query with every one of the ${f.count(e.ntotal)} stored vectors: ${f.count(e.distance_count)} distances, nothing skipped.`,
      map: {},
    },
    {
      title: 'The answer',
      sentence: `The ${f.count(answer.length)} smallest distances are the answer; they are exact by construction, the baseline every other index is measured against.`,
      map: { answer },
    },
  ];
}

/** What IVF scans at `nprobe`: the lists, the share of the set, and the share of exact neighbours within reach. */
export function ivfAt(ivf: NonNullable<Explanation['ivf']>, nprobe: number): { lit: number[]; scanned: number; share: number; reach: number | null } {
  const p = Math.max(1, Math.min(ivf.nlist, Math.round(nprobe)));
  const lit = ivf.order.slice(0, p);
  const scanned = lit.reduce((s, l) => s + ivf.sizes[l], 0);
  return { lit, scanned, share: ivf.scanned_by_nprobe[p - 1] ?? 0, reach: ivf.reachable_by_nprobe?.[p - 1] ?? null };
}

function ivfSteps(e: Explanation, f: StepFormat, nprobe: number): ExplainStep[] {
  const ivf = e.ivf!;
  const at = ivfAt(ivf, nprobe);
  const searched = nprobe === ivf.nprobe;
  const answer = answerIds(e);
  const compressed = e.pq !== undefined;
  const steps: ExplainStep[] = [
    {
      title: 'Lists',
      sentence: `Training split the ${f.count(e.ntotal)} vectors into ${f.count(ivf.nlist)} lists around ${f.count(ivf.nlist)} centroids (the crosses); each point is coloured by the list it was filed in.`,
      map: { lists: { lit: [], ranked: false } },
    },
    {
      title: 'Nearest centroids',
      sentence: `The query is compared with the ${f.count(ivf.nlist)} centroids only (${f.count(ivf.nlist)} distances) and the lists are ranked by it: list ${ivf.order[0]} is nearest, at ${f.distance(ivf.order_distances[0])}.`,
      map: { lists: { lit: [ivf.order[0]], ranked: true } },
    },
    {
      title: `Scan ${at.lit.length} ${plural(at.lit.length, 'list')}`,
      sentence: `With nprobe = ${at.lit.length}, only the ${at.lit.length} nearest ${plural(at.lit.length, 'list')} ${at.lit.length === 1 ? 'is' : 'are'} scanned: ${f.count(at.scanned)} vectors, ${pct(at.share)} of the set${at.reach !== null ? `, holding ${pct(at.reach)} of the exact neighbours` : ''}.`,
      map: { lists: { lit: at.lit, ranked: true } },
    },
  ];
  if (searched) {
    steps.push({
      title: 'The answer',
      sentence: `The answer is the ${f.count(answer.length)} nearest of the scanned vectors${compressed ? ' by their compressed codes' : ''}, for ${f.count(e.distance_count)} distances in all (${pct(e.distance_count / Math.max(1, e.ntotal))} of Flat's).${recallText(e, f)}`,
      map: { lists: { lit: at.lit, ranked: true }, answer },
    });
  }
  const ranks = ivf.exact_list_ranks;
  if (ranks && e.exact) {
    const probed = new Set(at.lit);
    const out: { id: number; note: string; nprobe: number }[] = [];
    e.exact.labels.forEach((id, i) => {
      const list = ivf.exact_lists![i];
      if (id >= 0 && !probed.has(list)) out.push({ id, note: `id ${id}: in list ${list}, ranked ${ranks[i] + 1}: found from nprobe ≥ ${ranks[i] + 1}`, nprobe: ranks[i] + 1 });
    });
    const all = ivf.nprobe_for_all ?? 0;
    steps.push({
      title: out.length ? 'Missed neighbours' : 'Nothing out of reach',
      sentence: out.length
        ? `${f.count(out.length)} exact ${plural(out.length, 'neighbour lies', 'neighbours lie')} in lists that were not scanned (ringed); reaching all of them takes nprobe ≥ ${all}, which scans ${pct(ivf.scanned_by_nprobe[all - 1] ?? 1)} of the set.`
        : `Every exact neighbour lies in the ${at.lit.length} scanned ${plural(at.lit.length, 'list')}: nprobe ${all} already reaches them all.`,
      map: { lists: { lit: at.lit, ranked: true }, answer: searched ? answer : undefined, missed: out },
    });
  }
  return steps;
}

function chunks(n: number, parts: number): [number, number][] {
  const size = Math.max(1, Math.ceil(n / Math.max(1, parts)));
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

function hnswSteps(e: Explanation, f: StepFormat, level0Steps: number): ExplainStep[] {
  const h = e.hnsw!;
  const upperNodes = h.nodes_per_level.slice(1).reduce((s, v) => s + v, 0);
  const steps: ExplainStep[] = [
    {
      title: 'Levels and entry',
      sentence: `The graph has ${h.max_level + 1} ${plural(h.max_level + 1, 'level')}: all ${f.count(e.ntotal)} nodes on level 0, ${f.count(upperNodes)} of them also higher up; the search enters at node ${h.entry.node} on level ${h.max_level} (distance ${f.distance(h.entry.distance)}).`,
      map: { entry: h.entry.node, current: h.entry.node },
    },
  ];
  const paths: { level: number; nodes: number[] }[] = [];
  for (const w of h.upper) {
    paths.push({ level: w.level, nodes: w.path });
    const hops = w.path.length - 1;
    const end = w.path[w.path.length - 1];
    steps.push({
      title: `Level ${w.level}`,
      sentence: hops
        ? `On level ${w.level} it moves greedily to whichever link is nearer the query: ${hops} ${plural(hops, 'hop')} to node ${end} (distance ${f.distance(w.path_distances[hops])}), ${f.count(w.distances)} distances.`
        : `On level ${w.level} no link of node ${end} is nearer the query, so it stays (${f.count(w.distances)} distances) and goes down a level.`,
      map: { entry: h.entry.node, paths: paths.map((p) => ({ ...p })), current: end },
    });
  }
  const l0 = h.level0;
  const upperCount = 1 + h.upper.reduce((s, w) => s + w.distances, 0);
  const answer = answerIds(e);
  chunks(l0.expanded.length, level0Steps).forEach(([, to], i, all) => {
    const last = to - 1;
    const seen = l0.visited_end[last];
    const kth = l0.kth[last];
    const range = all.length === l0.expanded.length ? `step ${to}` : `steps ${all[i][0] + 1}–${to}`;
    steps.push({
      title: `Level 0 · ${range}`,
      sentence: `Level 0, ${range} of ${l0.expanded.length}: it expands the best candidate left (node ${l0.expanded[last]}), computing distances to its unvisited links; ${f.count(seen)} nodes visited, ${f.count(l0.candidates[last])} candidates in the list (efSearch ${h.ef_search})${kth !== null ? `, the k-th best so far at ${f.distance(kth)}` : ''}.`,
      map: { entry: h.entry.node, paths, visited: l0.visited.slice(0, seen), current: l0.expanded[last] },
    });
  });
  const why = { exhausted: 'no candidate left could improve the answer', 'relative-distance': 'the best candidate left is further than efSearch nodes already found', steps: 'it reached its step limit' }[l0.stop];
  steps.push({
    title: 'The answer',
    sentence: `It stops because ${why}: the ${f.count(answer.length)} best visited nodes are the answer${h.matches_faiss ? ', exactly faiss\'s own' : ' (the replay differs from faiss here)'}, after ${f.count(e.distance_count)} distances (${pct(e.distance_count / Math.max(1, e.ntotal))} of Flat's; ${f.count(upperCount)} above level 0).${recallText(e, f)}`,
    map: {
      entry: h.entry.node,
      paths,
      visited: l0.visited,
      answer,
      missed: missedBy(e, (id) => `id ${id}: an exact neighbour the walk never reached (or ranked below the k found)`),
    },
  });
  return steps;
}

function pqSteps(e: Explanation, f: StepFormat): ExplainStep[] {
  const pq = e.pq!;
  const answer = answerIds(e);
  const steps: ExplainStep[] = [
    {
      title: 'Distance table',
      sentence: `PQ stores each vector as ${pq.M} small codes, one per slice of the vector, each naming one of ${pq.ksub} centroids; for the query it first fills a ${pq.M} × ${pq.ksub} table of slice-to-centroid distances (${f.count(pq.M * pq.ksub)} entries${e.ivf ? ', one table per list' : ''}).`,
      map: { pq: { pick: null, wrong: false }, answer },
    },
  ];
  if (pq.approx.length) {
    const exact = pq.exact_distances?.[0];
    steps.push({
      title: 'One code',
      sentence: `The nearest answer, id ${answer[0]}, has code [${pq.codes.slice(0, pq.M).join(', ')}]: it picks one cell per row, and their sum, ${f.distance(pq.approx[0])}, is its approximate distance${exact !== undefined ? `; its exact distance is ${f.distance(exact)}` : ''}.`,
      map: { pq: { pick: 0, wrong: false }, answer, current: answer[0] },
    });
  }
  if (pq.exact_order) {
    const wrong = pq.exact_order.map((r, i) => ({ r, i })).filter(({ r, i }) => r !== i);
    const worst = wrong.reduce<{ r: number; i: number } | null>((w, x) => (!w || Math.abs(x.r - x.i) > Math.abs(w.r - w.i) ? x : w), null);
    steps.push({
      title: 'Ranked wrongly',
      sentence: worst
        ? `The sums only approximate the distances: ${f.count(wrong.length)} of the ${f.count(answer.length)} answers are in another order than their exact distances; id ${answer[worst.i]} is ${ordinal(worst.i + 1)} by PQ but ${ordinal(worst.r + 1)} exactly.`
        : `Here the approximate sums keep the answers in the same order as their exact distances.`,
      map: { pq: { pick: worst ? worst.i : 0, wrong: true }, answer, current: worst ? answer[worst.i] : answer[0] },
    });
  }
  if (pq.refined) {
    const r = pq.refined;
    steps.push({
      title: 'Re-ranking',
      sentence: `Re-ranking with exact distances (a Refine/RFlat stage) would give recall ${r.recall.toFixed(2)} from these ${f.count(answer.length)}, and ${r.k_factor_recall.toFixed(2)} from the ${r.k_factor}·k nearest codes (k-factor ${r.k_factor}), against ${e.recall?.toFixed(2) ?? '?'} now.`,
      map: { pq: { pick: null, wrong: false }, answer: r.k_factor_labels.filter((l) => l >= 0), missed: missedBy(e, (id) => `id ${id}: an exact neighbour PQ's sums pushed out of the top k`) },
    });
  }
  return steps;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function otherSteps(e: Explanation, f: StepFormat): ExplainStep[] {
  return [
    {
      title: 'Not explained',
      sentence: `${e.note} Pipeline: ${e.pipeline.join(' → ') || e.factory}.`,
      map: {},
    },
    {
      title: 'The answer',
      sentence: `faiss answered with ${f.count(answerIds(e).length)} neighbours.${recallText(e, f)}`,
      map: { answer: answerIds(e), missed: missedBy(e, (id) => `id ${id}: an exact neighbour this index missed`) },
    },
  ];
}

/** The steps of one explained search, in the order a lecturer would show them. */
export function explainSteps(e: Explanation, f: StepFormat, opts: StepOptions = {}): ExplainStep[] {
  const pre = pipelineStep(e);
  const head = pre ? [pre] : [];
  switch (e.kind) {
    case 'flat':
      return [...head, ...flatSteps(e, f)];
    case 'ivf':
      return [...head, ...ivfSteps(e, f, opts.nprobe ?? e.ivf!.nprobe), ...(e.pq ? pqSteps(e, f) : [])];
    case 'hnsw':
      return [...head, ...hnswSteps(e, f, opts.level0Steps ?? 8)];
    case 'pq':
      return [...head, ...pqSteps(e, f)];
    default:
      return otherSteps(e, f);
  }
}
