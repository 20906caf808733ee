import { mulberry32 } from '../random/mulberry32.js';
import { fitCurve } from './curve-fit.js';
import { fastPow } from './fast-pow.js';
import type { FuzzyGraph } from './fuzzy-graph.js';

const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION = 1;
const CLIP = 4;
const INITIAL_ALPHA = 1;
/** the starting layout is scaled to this half-width: the scale min_dist and the curve (a, b) are meant for */
const INIT_SCALE = 10;

/**
 * UMAP's layout in the plane by stochastic gradient descent, one epoch per step() so the caller
 * can report progress and let a cancel in between epochs. Edges are sampled in proportion to
 * their weight (one of the largest weight every epoch); each sample pulls its two ends together
 * and pushes the head away from a few random points. Deterministic for a given seed.
 */
export class UmapLayout {
  /** coordinates in double precision while the layout runs (faster than float32 here) */
  private readonly y: Float64Array;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  private readonly epochsPerSample: Float32Array;
  private readonly nextSample: Float32Array;
  private readonly nextNegative: Float32Array;
  private readonly a: number;
  private readonly b: number;
  private rng: number;
  private epoch = 0;

  constructor(
    graph: FuzzyGraph,
    /** starting places, n×2 interleaved */
    init: Float32Array,
    private readonly opts: { epochs: number; minDist: number; seed: number },
  ) {
    this.y = scaleInit(init, 2);
    ({ a: this.a, b: this.b } = fitCurve(opts.minDist));
    // a nonzero 32-bit state for xorshift, derived from the seed
    this.rng = Math.floor(mulberry32(opts.seed)() * 0xfffffffe) + 1;
    let maxW = 0;
    for (const w of graph.weights) if (w > maxW) maxW = w;
    // edges too weak to be sampled once in the whole run are dropped up front
    const floor = maxW / opts.epochs;
    const keep: number[] = [];
    for (let e = 0; e < graph.weights.length; e++) if (graph.weights[e] >= floor) keep.push(e);
    this.heads = Int32Array.from(keep, (e) => graph.heads[e]);
    this.tails = Int32Array.from(keep, (e) => graph.tails[e]);
    this.epochsPerSample = Float32Array.from(keep, (e) => maxW / graph.weights[e]);
    this.nextSample = this.epochsPerSample.slice();
    this.nextNegative = Float32Array.from(this.epochsPerSample, (s) => s / NEGATIVE_SAMPLE_RATE);
  }

  /** the layout as it stands, n×2 float32 */
  get embedding(): Float32Array {
    return Float32Array.from(this.y);
  }

  get done(): number {
    return this.epoch;
  }

  get finished(): boolean {
    return this.epoch >= this.opts.epochs;
  }

  step(): void {
    if (this.finished) return;
    this.stepPlane();
    this.epoch++;
  }

  /** One epoch, written out for the plane: this loop is where UMAP spends its time. */
  private stepPlane(): void {
    const { heads, tails, epochsPerSample, nextSample, nextNegative, y, a, b } = this;
    const n = y.length / 2;
    const alpha = INITIAL_ALPHA * (1 - this.epoch / this.opts.epochs);
    const due = this.epoch + 1;
    const toRow = n / 4294967296;
    const attract = -2 * a * b;
    const repel = 2 * REPULSION * b;
    let rng = this.rng;
    for (let e = 0; e < heads.length; e++) {
      if (nextSample[e] > due) continue;
      const hj = heads[e] * 2;
      const tk = tails[e] * 2;
      let hx = y[hj];
      let hy = y[hj + 1];
      const dx = hx - y[tk];
      const dy = hy - y[tk + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const pw = fastPow(d2, b);
        const coeff = (attract * (pw / d2)) / (a * pw + 1);
        const gx = clip(coeff * dx) * alpha;
        const gy = clip(coeff * dy) * alpha;
        hx += gx;
        hy += gy;
        y[tk] -= gx;
        y[tk + 1] -= gy;
      }
      nextSample[e] += epochsPerSample[e];
      const negEvery = epochsPerSample[e] / NEGATIVE_SAMPLE_RATE;
      const negatives = Math.floor((due - nextNegative[e]) / negEvery);
      for (let p = 0; p < negatives; p++) {
        // xorshift32, inline: this loop runs hundreds of millions of times
        rng ^= rng << 13;
        rng ^= rng >>> 17;
        rng ^= rng << 5;
        const other = Math.floor((rng >>> 0) * toRow) * 2;
        if (other === hj) continue;
        const ox = hx - y[other];
        const oy = hy - y[other + 1];
        const q2 = ox * ox + oy * oy;
        if (q2 > 0) {
          const coeff = repel / ((0.001 + q2) * (a * fastPow(q2, b) + 1));
          hx += clip(coeff * ox) * alpha;
          hy += clip(coeff * oy) * alpha;
        } else {
          hx += CLIP * alpha;
          hy += CLIP * alpha;
        }
      }
      y[hj] = hx;
      y[hj + 1] = hy;
      if (negatives > 0) nextNegative[e] += negatives * negEvery;
    }
    this.rng = rng;
  }
}

function clip(v: number): number {
  return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
}

/** Centres the starting layout and scales it to ±INIT_SCALE on its widest axis. */
function scaleInit(init: Float32Array, dim: number): Float64Array {
  const out = Float64Array.from(init);
  const n = out.length / dim;
  for (let c = 0; c < dim; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += out[i * dim + c];
    mean /= Math.max(1, n);
    for (let i = 0; i < n; i++) out[i * dim + c] -= mean;
  }
  let max = 0;
  for (const v of out) max = Math.max(max, Math.abs(v));
  const s = max > 0 ? INIT_SCALE / max : 1;
  for (let i = 0; i < out.length; i++) out[i] *= s;
  return out;
}
