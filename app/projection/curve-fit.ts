/**
 * UMAP's low-dimensional similarity is 1 / (1 + a·d^(2b)). a and b are chosen so that this curve
 * best matches (least squares) the target: 1 below minDist, exp(-(d - minDist) / spread) above.
 * Solved by damped Gauss–Newton on (a, b) over 300 samples of d in [0, 3·spread].
 */
export function fitCurve(minDist: number, spread = 1): { a: number; b: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 300; i++) {
    const x = (3 * spread * i) / 299;
    xs.push(x);
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread));
  }
  let a = 1.5;
  let b = 0.9;
  let damping = 1e-3;
  const cost = (pa: number, pb: number) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = 1 / (1 + pa * Math.pow(xs[i], 2 * pb)) - ys[i];
      s += r * r;
    }
    return s;
  };
  let current = cost(a, b);
  for (let iter = 0; iter < 200; iter++) {
    // normal equations of the 2-parameter problem: J^T J and J^T r
    let jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x === 0) continue; // f(0) = 1 for every a, b: no information
      const p = Math.pow(x, 2 * b);
      const f = 1 / (1 + a * p);
      const r = f - ys[i];
      const da = -p * f * f;
      const db = -a * p * 2 * Math.log(x) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const m00 = jaa * (1 + damping);
    const m11 = jbb * (1 + damping);
    const det = m00 * m11 - jab * jab;
    if (!(Math.abs(det) > 0)) break;
    const stepA = (m11 * ga - jab * gb) / det;
    const stepB = (m00 * gb - jab * ga) / det;
    const na = a - stepA;
    const nb = b - stepB;
    const next = na > 0 && nb > 0 ? cost(na, nb) : Infinity;
    if (next < current) {
      const gain = current - next;
      a = na;
      b = nb;
      current = next;
      damping = Math.max(1e-9, damping / 3);
      if (gain < 1e-12) break;
    } else {
      damping *= 4;
      if (damping > 1e9) break;
    }
  }
  return { a, b };
}
