/** A symmetric weighted graph as edge lists: edge e joins heads[e] to tails[e] with weights[e]. */
export interface FuzzyGraph {
  n: number;
  heads: Int32Array;
  tails: Int32Array;
  weights: Float32Array;
}

const SMOOTH_ITERATIONS = 64;
const SMOOTH_TOLERANCE = 1e-5;
const MIN_SCALE = 1e-3;

/**
 * UMAP's fuzzy simplicial set from a kNN graph (n rows of k neighbours, distances not squared).
 * Each point's memberships decay from its nearest neighbour's distance (rho) with a scale (sigma)
 * chosen so that they sum to log2(k); the two directed memberships of a pair then combine as a
 * fuzzy union, a + b - a·b. Self-matches and missing neighbours (-1) are skipped.
 */
export function fuzzyGraph(indices: Int32Array, distances: Float32Array, n: number, k: number): FuzzyGraph {
  const target = Math.log2(k);
  const member = new Float32Array(n * k);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i];
  meanAll /= Math.max(1, distances.length);

  for (let i = 0; i < n; i++) {
    const row = i * k;
    let rho = Infinity;
    let mean = 0;
    let count = 0;
    for (let j = 0; j < k; j++) {
      const nb = indices[row + j];
      if (nb < 0 || nb === i) continue;
      const d = distances[row + j];
      mean += d;
      count++;
      if (d > 0 && d < rho) rho = d;
    }
    if (count === 0) continue;
    if (rho === Infinity) rho = 0;
    mean /= count;
    let lo = 0;
    let hi = Infinity;
    let sigma = 1;
    for (let it = 0; it < SMOOTH_ITERATIONS; it++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const nb = indices[row + j];
        if (nb < 0 || nb === i) continue;
        const over = distances[row + j] - rho;
        sum += over > 0 ? Math.exp(-over / sigma) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_TOLERANCE) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
      }
    }
    // a floor keeps points whose neighbours all sit at one distance from collapsing
    sigma = Math.max(sigma, MIN_SCALE * (rho > 0 ? mean : meanAll));
    for (let j = 0; j < k; j++) {
      const nb = indices[row + j];
      if (nb < 0 || nb === i) continue;
      const over = distances[row + j] - rho;
      member[row + j] = over > 0 ? Math.exp(-over / sigma) : 1;
    }
  }

  const membership = (from: number, to: number): number => {
    const row = from * k;
    for (let j = 0; j < k; j++) if (indices[row + j] === to) return member[row + j];
    return 0;
  };

  // both directions of every pair, so the layout pulls each end alike
  const heads = new Int32Array(2 * n * k);
  const tails = new Int32Array(2 * n * k);
  const weights = new Float32Array(2 * n * k);
  let edges = 0;
  const emit = (from: number, to: number, w: number) => {
    heads[edges] = from;
    tails[edges] = to;
    weights[edges] = w;
    edges++;
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const a = member[i * k + j];
      if (a <= 0) continue;
      const nb = indices[i * k + j];
      const b = membership(nb, i);
      const w = a + b - a * b;
      emit(i, nb, w);
      // the reverse edge is emitted from nb's own row when it lists i; otherwise here
      if (b === 0) emit(nb, i, w);
    }
  }
  return { n, heads: heads.slice(0, edges), tails: tails.slice(0, edges), weights: weights.slice(0, edges) };
}
