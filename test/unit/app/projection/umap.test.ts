import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCurve } from '../../../../app/projection/curve-fit.js';
import { fastPow } from '../../../../app/projection/fast-pow.js';
import { fuzzyGraph } from '../../../../app/projection/fuzzy-graph.js';
import { UmapLayout } from '../../../../app/projection/umap-layout.js';
import { umapKey, umapProblem, UMAP_DEFAULTS } from '../../../../app/projection/umap-options.js';
import { planeKnn, withoutSelf } from '../../../../app/projection/plane-knn.js';
import { blobsSet } from '../../../../app/datasets/generators.js';
import { trustworthiness } from '../../../../app/eval/neighbourhoods.js';

/** Brute-force kNN (self included, L2 distances) for small test sets. */
function bruteKnn(data: Float32Array, dim: number, k: number): { ids: Int32Array; dist: Float32Array } {
  const n = data.length / dim;
  const ids = new Int32Array(n * k);
  const dist = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const d = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (data[i * dim + c] - data[j * dim + c]) ** 2;
      return [Math.sqrt(s), j] as const;
    }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let j = 0; j < k; j++) {
      ids[i * k + j] = d[j][1];
      dist[i * k + j] = d[j][0];
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

test('the layout is seeded (same seed, same result), separates blobs, and keeps neighbourhoods', () => {
  const set = blobsSet({ n: 600, nq: 0, dim: 16, clusters: 4, seed: 5 });
  const { ids, dist } = bruteKnn(set.base, 16, 10);
  const g = fuzzyGraph(ids, dist, 600, 10);
  const init = new Float32Array(1200).map((_, i) => set.base[Math.floor(i / 2) * 16 + (i % 2)]);
  const run = (seed: number) => {
    const l = new UmapLayout(g, init, { epochs: 100, minDist: 0.1, seed });
    while (!l.finished) l.step();
    assert.equal(l.done, 100);
    return l.embedding;
  };
  const a = run(1);
  assert.deepEqual(a, run(1));
  assert.notDeepEqual(a, run(2));
  const t = trustworthiness({ high: set.base, highDim: 16, low: a, lowDim: 2, k: 10, rows: Int32Array.from({ length: 100 }, (_, i) => i * 6) });
  assert.ok(t > 0.85, `trustworthiness ${t}`);
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
