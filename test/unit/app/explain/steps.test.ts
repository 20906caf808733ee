import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Explanation } from '../../../../app/contract/explain.js';
import { explainSteps, ivfAt } from '../../../../app/explain/explain-steps.js';
import { lessonSteps, missingKinds } from '../../../../app/explain/lesson.js';
import { listRanks, nprobeForAll, reachableByNprobe, scannedByNprobe } from '../../../../app/explain/ivf-view.js';

const f = { count: (n: number) => String(n), distance: (d: number) => d.toFixed(2) };

function base(kind: Explanation['kind'], factory: string, answer: number[], exact: number[], distanceCount: number): Explanation {
  const got = new Set(answer);
  return {
    kind, factory, pipeline: factory.split(','), note: '', metric: 'l2', ntotal: 100, k: answer.length,
    answer: { labels: answer, distances: answer.map((_, i) => i) },
    exact: { labels: exact, distances: exact.map((_, i) => i) },
    recall: exact.filter((id) => got.has(id)).length / exact.length,
    distance_count: distanceCount,
  };
}

/** Four lists of 10, 20, 30, 40 rows; the query's probe order 2, 0, 3, 1; exact neighbours in lists 2, 2, 3, 1. */
function ivfExplanation(nprobe: number): Explanation {
  const order = Int32Array.of(2, 0, 3, 1);
  const sizes = Int32Array.of(10, 20, 30, 40);
  const exactLists = [2, 2, 3, 1];
  const ranks = Int32Array.from(exactLists, (l) => listRanks(order, 4)[l]);
  const scanned = Array.from(order.subarray(0, nprobe)).reduce((s, l) => s + sizes[l], 0);
  const e = base('ivf', 'IVF4,Flat', [5, 6, 9, 11], [5, 6, 70, 90], 4 + scanned);
  e.ivf = {
    nlist: 4, nprobe, order: Array.from(order), order_distances: [0.5, 1, 2, 3], sizes: Array.from(sizes), scanned,
    answer_lists: [2, 2, 2, 2], exact_lists: exactLists, exact_list_ranks: Array.from(ranks),
    scanned_by_nprobe: Array.from(scannedByNprobe(order, sizes)), reachable_by_nprobe: Array.from(reachableByNprobe(ranks, 4)), nprobe_for_all: nprobeForAll(ranks),
  };
  return e;
}

test('IVF: the lit lists are the first nprobe of the probe order, and each missed neighbour names the nprobe that finds it', () => {
  const e = ivfExplanation(1);
  const steps = explainSteps(e, f);
  assert.deepEqual(steps.map((s) => s.title), ['Lists', 'Nearest centroids', 'Scan 1 list', 'The answer', 'Missed neighbours']);
  assert.deepEqual(steps[2].map.lists!.lit, [2]);
  assert.match(steps[2].sentence, /30 vectors, 30\.0% of the set, holding 50\.0% of the exact neighbours/);
  const missed = steps[4].map.missed!;
  assert.deepEqual(missed.map((m) => m.id), [70, 90]);
  assert.match(missed[0].note, /list 3, ranked 3: found from nprobe ≥ 3/);
  assert.match(missed[1].note, /found from nprobe ≥ 4/);
  assert.match(steps[4].sentence, /nprobe ≥ 4, which scans 100\.0% of the set/);
  assert.match(steps[3].sentence, /2 of the 4 exact nearest neighbours \(recall 0\.50\)/);
});

test('IVF: the slider\'s nprobe relights the lists and shrinks the missed set without an answer it did not search', () => {
  const e = ivfExplanation(1);
  const at3 = ivfAt(e.ivf!, 3);
  assert.deepEqual(at3.lit, [2, 0, 3]);
  assert.equal(at3.scanned, 80);
  assert.equal(at3.share, 0.8);
  assert.equal(at3.reach, 0.75);
  assert.deepEqual(ivfAt(e.ivf!, 99).lit, [2, 0, 3, 1], 'clamped to nlist');
  const steps = explainSteps(e, f, { nprobe: 3 });
  assert.ok(!steps.some((s) => s.title === 'The answer'), 'the answer at nprobe 3 is not known until it is searched');
  assert.deepEqual(steps.at(-1)!.map.missed!.map((m) => m.id), [90]);
});

function hnswExplanation(): Explanation {
  const e = base('hnsw', 'HNSW8', [3, 4], [3, 4], 1 + 6 + 11);
  e.hnsw = {
    ef_search: 16, max_level: 2, nodes_per_level: [90, 8, 2], entry: { node: 40, distance: 9 },
    upper: [
      { level: 2, path: [40, 41], path_distances: [9, 7], distances: 2 },
      { level: 1, path: [41, 42, 43], path_distances: [7, 5, 4], distances: 4 },
    ],
    level0: {
      expanded: [43, 3, 4, 8, 9], visited: [43, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16], visited_distances: new Array(12).fill(1),
      visited_end: [4, 6, 8, 10, 12], candidates: [3, 4, 4, 3, 2], kth: [null, 2, 1.5, 1.2, 1.1], stop: 'exhausted',
    },
    matches_faiss: true,
  };
  return e;
}

test('HNSW: entry, one step per upper level with its hops, level-0 steps that cover every expansion, the answer', () => {
  const steps = explainSteps(hnswExplanation(), f, { level0Steps: 2 });
  assert.deepEqual(steps.map((s) => s.title), ['Levels and entry', 'Level 2', 'Level 1', 'Level 0 · steps 1–3', 'Level 0 · steps 4–5', 'The answer']);
  assert.equal(steps[0].map.entry, 40);
  assert.match(steps[0].sentence, /3 levels: all 100 nodes on level 0, 10 of them also higher up/);
  assert.deepEqual(steps[1].map.paths, [{ level: 2, nodes: [40, 41] }], 'a level shows only the walks down to it');
  assert.match(steps[2].sentence, /2 hops to node 43/);
  assert.deepEqual(steps[3].map.visited, [43, 3, 4, 8, 9, 10, 11, 12], 'visited up to the end of step 3');
  assert.equal(steps[3].map.current, 4);
  assert.equal(steps[4].map.visited!.length, 12);
  assert.match(steps[5].sentence, /exactly faiss's own, after 18 distances \(18\.0% of Flat's; 7 above level 0\)/);
  assert.deepEqual(steps[5].map.missed, []);
});

function pqExplanation(): Explanation {
  const e = base('pq', 'PQ2x2', [7, 8, 9], [8, 7, 50], 100);
  e.pq = {
    M: 2, ksub: 4, tables: [0, 1, 2, 3, 4, 5, 6, 7], table_of: [0, 0, 0], codes: [0, 1, 1, 0, 2, 2], bias: [0, 0, 0],
    approx: [1, 2, 4], exact_distances: [1.5, 1.2, 5], exact_order: [1, 0, 2],
    refined: { labels: [8, 7, 9], recall: 2 / 3, k_factor: 4, k_factor_labels: [8, 7, 50], k_factor_recall: 1 },
  };
  return e;
}

test('PQ: the table, the first answer\'s code as picked cells, the wrongly ranked answer, re-ranking', () => {
  const steps = explainSteps(pqExplanation(), f);
  assert.deepEqual(steps.map((s) => s.title), ['Distance table', 'One code', 'Ranked wrongly', 'Re-ranking']);
  assert.match(steps[1].sentence, /code \[0, 1\]: .* 1\.00, is its approximate distance; its exact distance is 1\.50/);
  assert.equal(steps[1].map.pq!.pick, 0);
  assert.match(steps[2].sentence, /2 of the 3 answers are in another order/);
  assert.match(steps[2].sentence, /id 7 is 1st by PQ but 2nd exactly/);
  assert.match(steps[3].sentence, /recall 0\.67 from these 3, and 1\.00 from the 4·k nearest codes/);
  assert.deepEqual(steps[3].map.answer, [8, 7, 50]);
});

test('an index the views do not know: its note and pipeline, then its answer with misses', () => {
  const e = base('other', 'LSH', [1, 2], [1, 3], 100);
  e.note = 'This index cannot be explained step by step: it is LSH.';
  const steps = explainSteps(e, f);
  assert.match(steps[0].sentence, /cannot be explained step by step.*Pipeline: LSH/);
  assert.deepEqual(steps[1].map.missed!.map((m) => m.id), [3]);
});

test('a pre-transform comes first; Flat is the baseline', () => {
  const e = ivfExplanation(2);
  e.pipeline = ['OPQ4_8', 'IVF4', 'Flat'];
  assert.match(explainSteps(e, f)[0].sentence, /first goes through OPQ4_8/);
  const flat = explainSteps(base('flat', 'Flat', [1], [1], 100), f);
  assert.match(flat[0].sentence, /every one of the 100 stored vectors: 100 distances/);
});

test('lesson: Flat first whatever the order given, each later index costed against Flat, missing kinds named', () => {
  const lesson = lessonSteps([hnswExplanation(), ivfExplanation(1), base('flat', 'Flat', [5, 6, 70, 90], [5, 6, 70, 90], 100)], f);
  assert.deepEqual(lesson.map((s) => s.kind), ['flat', 'ivf', 'hnsw']);
  assert.match(lesson[0].sentence, /^Flat compares the query with all 100 vectors: 100 distances, recall 1\.00\.$/);
  assert.match(lesson[1].sentence, /scans only the 1 nearest list \(30 vectors\); nprobe ≥ 4 would reach every exact neighbour: 34 distances \(34\.0% of Flat's\), recall 0\.50/);
  assert.match(lesson[2].sentence, /18 distances \(18\.0% of Flat's\), recall 1\.00/);
  assert.deepEqual(missingKinds(lesson.map((s) => s.kind)), ['pq']);
});
