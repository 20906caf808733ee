import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fitCurve } from '../../../../app/projection/curve-fit.js';
import { fastPow } from '../../../../app/projection/fast-pow.js';
import { fuzzyGraph } from '../../../../app/projection/fuzzy-graph.js';
import { layoutParts, UmapLayout } from '../../../../app/projection/umap-layout.js';
import { umapKey, umapProblem, UMAP_DEFAULTS } from '../../../../app/projection/umap-options.js';
import { planeKnn, withoutSelf } from '../../../../app/projection/plane-knn.js';
import { blobsSet } from '../../../../app/datasets/generators.js';
import { trustworthiness } from '../../../../app/eval/neighbourhoods.js';
import { startLayoutThreads } from '../../../../main/engine/worker/umap-threads.js';

const THREAD_ENTRY = fileURLToPath(new URL('../../../helpers/umap-thread.mjs', import.meta.url));

/** Brute-force kNN (self included, L2 distances, ties to the lower id) for small test sets. */
function bruteKnn(data: Float32Array, dim: number, k: number): { ids: Int32Array; dist: Float32Array } {
  const n = data.length / dim;
  const ids = new Int32Array(n * k);
  const dist = new Float32Array(n * k);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    bestD.fill(Infinity);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (data[i * dim + c] - data[j * dim + c]) ** 2;
      const d = Math.sqrt(s);
      if (d >= bestD[k - 1]) continue;
      // insertion into the sorted k best: j rises, so an equal distance stays behind the earlier id
      let at = k - 1;
      for (; at > 0 && bestD[at - 1] > d; at--) {
        bestD[at] = bestD[at - 1];
        bestJ[at] = bestJ[at - 1];
      }
      bestD[at] = d;
      bestJ[at] = j;
    }
    for (let j = 0; j < k; j++) {
      ids[i * k + j] = bestJ[j];
      dist[i * k + j] = bestD[j];
    }
  }
  return { ids, dist };
}

test('the curve fit matches the known a, b for min_dist 0.1 and 0.001 (spread 1)', () => {
  const f1 = fitCurve(0.1);
  assert.ok(Math.abs(f1.a - 1.577) < 0.02 && Math.abs(f1.b - 0.895) < 0.01, JSON.stringify(f1));
  const f2 = fitCurve(0.001);
  assert.ok(Math.abs(f2.a - 1.929) < 0.03 && Math.abs(f2.b - 0.7915) < 0.01, JSON.stringify(f2));
});

test('the fuzzy graph is symmetric with weights in (0, 1]', () => {
  const set = blobsSet({ n: 200, nq: 0, dim: 8, clusters: 3, seed: 3 });
  const { ids, dist } = bruteKnn(set.base, 8, 6);
  const g = fuzzyGraph(ids, dist, 200, 6);
  const w = new Map<string, number>();
  for (let e = 0; e < g.heads.length; e++) {
    assert.ok(g.weights[e] > 0 && g.weights[e] <= 1);
    assert.notEqual(g.heads[e], g.tails[e]);
    w.set(`${g.heads[e]}-${g.tails[e]}`, g.weights[e]);
  }
  for (const [key, v] of w) {
    const [a, b] = key.split('-');
    assert.equal(w.get(`${b}-${a}`), v);
  }
});

test('the layout is seeded (same seed, same result), separates blobs, and keeps neighbourhoods, in one part or split', () => {
  const set = blobsSet({ n: 600, nq: 0, dim: 16, clusters: 4, seed: 5 });
  const { ids, dist } = bruteKnn(set.base, 16, 10);
  const g = fuzzyGraph(ids, dist, 600, 10);
  const init = new Float32Array(1200).map((_, i) => set.base[Math.floor(i / 2) * 16 + (i % 2)]);
  const run = (seed: number, parts: number) => {
    const l = new UmapLayout(g, init, { epochs: 100, minDist: 0.1, seed }, { parts });
    assert.equal(l.parts.length, parts);
    while (!l.finished) l.step();
    assert.equal(l.done, 100);
    return l.embedding;
  };
  for (const parts of [1, 2, 3]) {
    const a = run(1, parts);
    assert.deepEqual(a, run(1, parts));
    assert.notDeepEqual(a, run(2, parts));
    const t = trustworthiness({ high: set.base, highDim: 16, low: a, lowDim: 2, k: 10, rows: Int32Array.from({ length: 100 }, (_, i) => i * 6) });
    assert.ok(t > 0.85, `${parts} part(s): trustworthiness ${t}`);
  }
  // the split is a function of the size alone, not of the machine
  assert.equal(layoutParts(600), 1);
  assert.equal(layoutParts(100_000), layoutParts(2_000_000));
});

test('threads run the parts to the very layout they give run in turn, and stand aside when they cannot help', async () => {
  const set = blobsSet({ n: 1200, nq: 0, dim: 8, clusters: 3, seed: 4 });
  const { ids, dist } = bruteKnn(set.base, 8, 8);
  const g = fuzzyGraph(ids, dist, 1200, 8);
  const init = new Float32Array(2400).map((_, i) => set.base[Math.floor(i / 2) * 8 + (i % 2)]);
  const opts = { epochs: 50, minDist: 0.1, seed: 3 };
  const inTurn = new UmapLayout(g, init, opts, { parts: 3 });
  while (!inTurn.finished) inTurn.step();

  const shared = new UmapLayout(g, init, opts, { parts: 3, memory: 'shared' });
  const threads = await startLayoutThreads(shared, { entry: THREAD_ENTRY, cores: 2 });
  assert.ok(threads, 'a thread started');
  assert.equal(threads.threads, 2);
  try {
    while (!shared.finished) shared.step(threads.run);
  } finally {
    await threads.close();
  }
  assert.deepEqual(shared.embedding, inTurn.embedding);

  assert.equal(await startLayoutThreads(shared, { entry: THREAD_ENTRY, cores: 1 }), null, 'one core: no thread');
  assert.equal(await startLayoutThreads(inTurn, { entry: THREAD_ENTRY, cores: 2 }), null, 'memory not shared: no thread');
  assert.equal(await startLayoutThreads(shared, { entry: null, cores: 2 }), null, 'no thread entry built');
});

test('the parts hold every kept edge once, grouped by head, with about equal weight', () => {
  const set = blobsSet({ n: 3000, nq: 0, dim: 8, clusters: 3, seed: 2 });
  const { ids, dist } = bruteKnn(set.base, 8, 8);
  const g = fuzzyGraph(ids, dist, 3000, 8);
  const l = new UmapLayout(g, new Float32Array(6000), { epochs: 200, minDist: 0.1, seed: 1 }, { parts: 2 });
  const seen = new Set<string>();
  const load = [0, 0];
  let lastHead = -1;
  l.parts.forEach((p, i) => {
    for (let e = 0; e < p.heads.length; e++) {
      assert.ok(p.heads[e] >= lastHead, 'heads in order');
      lastHead = p.heads[e];
      seen.add(`${p.heads[e]}-${p.tails[e]}`);
      load[i] += 1 / p.epochsPerSample[e];
    }
  });
  assert.equal(seen.size, l.parts[0].heads.length + l.parts[1].heads.length);
  assert.ok(seen.size <= g.heads.length && seen.size > 0.99 * g.heads.length);
  assert.ok(Math.abs(load[0] - load[1]) / (load[0] + load[1]) < 0.01, `loads ${load}`);
});

test('options are checked and keyed per dataset and parameters', () => {
  assert.equal(umapProblem(UMAP_DEFAULTS, 1000), null);
  assert.match(umapProblem({ ...UMAP_DEFAULTS, nNeighbors: 1 }, 1000) ?? '', /nNeighbors/);
  assert.match(umapProblem({ ...UMAP_DEFAULTS, nNeighbors: 50 }, 20) ?? '', /smaller/);
  assert.match(umapProblem({ ...UMAP_DEFAULTS, epochs: 2.5 }, 1000) ?? '', /whole/);
  assert.notEqual(umapKey('a', UMAP_DEFAULTS), umapKey('a', { ...UMAP_DEFAULTS, minDist: 0.2 }));
});

test('the grid kNN of a map equals brute force', () => {
  const xy = new Float32Array(2000);
  let s = 9;
  for (let i = 0; i < xy.length; i++) {
    s = (s * 16807) % 2147483647;
    xy[i] = (s / 2147483647) * (i % 2 ? 5 : 1) + (i % 7 === 0 ? 30 : 0);
  }
  const got = planeKnn(xy, 5);
  const { ids } = bruteKnn(xy, 2, 6);
  const want = withoutSelf(ids, new Float32Array(ids.length), 1000, 6).ids;
  assert.deepEqual(got, want);
});

test('the table power is within 3e-4 of Math.pow over the distances a layout meets', () => {
  for (let e = -30; e <= 30; e += 0.37) {
    const x = Math.exp(e);
    for (const p of [0.79, 0.895, 1.2]) assert.ok(Math.abs(fastPow(x, p) / Math.pow(x, p) - 1) < 3e-4, `${x}^${p}`);
  }
});
