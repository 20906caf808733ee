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
/** from this many points on, an epoch is split into parts that threads can run side by side */
const PARTS_FROM = 2_000;
const PARTS = 4;

/** The edges of one part (those whose heads lie in one range of points, in head order) and its sampling state. */
export interface LayoutPart {
  heads: Int32Array;
  tails: Int32Array;
  epochsPerSample: Float32Array;
  nextSample: Float32Array;
  nextNegative: Float32Array;
  /** the part's own xorshift32 state, one value */
  rng: Int32Array;
  /** the part's copy of the layout: it starts each epoch from the common layout and moves in here */
  y: Float32Array;
}

/** What every part's epoch needs besides its own edges. */
export interface LayoutShape {
  epochs: number;
  a: number;
  b: number;
}

/** How many parts an epoch is split into: a function of the size alone, so a seed gives one map on any machine. */
export function layoutParts(n: number): number {
  return n >= PARTS_FROM ? PARTS : 1;
}

/** Where the layout's arrays live: ordinary memory, or memory that threads share. */
export type Memory = 'local' | 'shared';

/**
 * UMAP's layout in the plane by stochastic gradient descent, one epoch per step() so the caller
 * can report progress and let a cancel in between epochs. Edges are sampled in proportion to
 * their weight (one of the largest weight every epoch); each sample pulls its two ends together
 * and pushes the head away from a few random points.
 *
 * From PARTS_FROM points on, the edges are split by head into parts of about equal work. Each
 * part runs its epoch on its own copy of the layout, from where the last epoch left it, with its
 * own random stream; the parts' moves are then added up, in part order. A part sees the other
 * parts' moves an epoch late (as the reference UMAP's lock-free parallel epochs see them a few
 * edges late), but nothing depends on timing: the same graph, start and seed give the same map
 * whether the parts run one after another (step()) or side by side on threads (runPart()).
 */
export class UmapLayout {
  /** coordinates in single precision, as the reference UMAP keeps them: half the cache that doubles take */
  readonly y: Float32Array;
  readonly parts: LayoutPart[];
  readonly shape: LayoutShape;
  private epoch = 0;

  constructor(
    graph: FuzzyGraph,
    /** starting places, n×2 interleaved */
    init: Float32Array,
    private readonly opts: { epochs: number; minDist: number; seed: number },
    { parts = layoutParts(graph.n), memory = 'local' }: { parts?: number; memory?: Memory } = {},
  ) {
    const alloc = memory === 'shared' ? (bytes: number) => new SharedArrayBuffer(bytes) : (bytes: number) => new ArrayBuffer(bytes);
    this.y = new Float32Array(alloc(init.length * 4));
    scaleInit(init, 2, this.y);
    const { a, b } = fitCurve(opts.minDist);
    this.shape = { epochs: opts.epochs, a, b };
    this.parts = splitEdges(graph, opts.epochs, opts.seed, parts, alloc, this.y);
  }

  /** the layout as it stands, n×2 float32 */
  get embedding(): Float32Array {
    return this.y.slice();
  }

  get done(): number {
    return this.epoch;
  }

  get finished(): boolean {
    return this.epoch >= this.opts.epochs;
  }

  /**
   * One epoch. `runParts` runs every part's epoch (runPart on each, in any order or side by
   * side) and returns once all are done; by default they run here, one after another.
   */
  step(runParts: (epoch: number) => void = (epoch) => this.parts.forEach((p) => runPart(p, this.y, epoch, this.shape))): void {
    if (this.finished) return;
    runParts(this.epoch);
    mergeParts(this.y, this.parts);
    this.epoch++;
  }
}

/** One part's epoch: its copy starts from the common layout `y`, then moves under the part's samples. */
export function runPart(part: LayoutPart, y: Float32Array, epoch: number, shape: LayoutShape): void {
  if (part.y !== y) part.y.set(y);
  epochPlane(part, part.y, epoch, shape);
}

/** The common layout moves by the sum of the parts' moves, in part order (nothing to do for a single part, which moved it in place). */
function mergeParts(y: Float32Array, parts: LayoutPart[]): void {
  if (parts.length === 1 && parts[0].y === y) return;
  const copies = parts.map((p) => p.y);
  for (let i = 0; i < y.length; i++) {
    const start = y[i];
    let v = start;
    for (let p = 0; p < copies.length; p++) v += copies[p][i] - start;
    y[i] = v;
  }
}

/** One epoch of one part in the plane, on `y` in place: this loop is where UMAP spends its time. */
function epochPlane(part: LayoutPart, y: Float32Array, epoch: number, { epochs, a, b }: LayoutShape): void {
  const { heads, tails, epochsPerSample, nextSample, nextNegative } = part;
  const n = y.length / 2;
  const alpha = INITIAL_ALPHA * (1 - epoch / epochs);
  const due = epoch + 1;
  const toRow = n / 4294967296;
  const attract = -2 * a * b;
  const repel = 2 * REPULSION * b;
  let rng = part.rng[0];
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
    // the pushes of one sample are taken from where its head stands after the pull and added up,
    // so they do not wait on each other (the loop is bound by that chain otherwise)
    let px = 0;
    let py = 0;
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
        px += clip(coeff * ox);
        py += clip(coeff * oy);
      } else {
        px += CLIP;
        py += CLIP;
      }
    }
    y[hj] = hx + px * alpha;
    y[hj + 1] = hy + py * alpha;
    if (negatives > 0) nextNegative[e] += negatives * negEvery;
  }
  part.rng[0] = rng;
}

function clip(v: number): number {
  return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
}

/**
 * The graph's edges as parts: edges too weak to be sampled once in the whole run are dropped, the
 * rest are put in head order and cut at heads where the expected samples (the weights) divide
 * evenly. The first part of a single-part layout works on the common layout itself.
 */
function splitEdges(graph: FuzzyGraph, epochs: number, seed: number, count: number, alloc: (bytes: number) => ArrayBufferLike, y: Float32Array): LayoutPart[] {
  const { n, heads, tails, weights } = graph;
  let maxW = 0;
  for (let e = 0; e < weights.length; e++) if (weights[e] > maxW) maxW = weights[e];
  const floor = maxW / epochs;
  // counting sort by head, weak edges left out
  const start = new Int32Array(n + 1);
  const load = new Float64Array(n);
  for (let e = 0; e < weights.length; e++) {
    if (!(weights[e] >= floor)) continue;
    start[heads[e] + 1]++;
    load[heads[e]] += weights[e];
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const order = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let e = 0; e < weights.length; e++) if (weights[e] >= floor) order[fill[heads[e]]++] = e;

  let total = 0;
  for (let i = 0; i < n; i++) total += load[i];
  // the first head of each part, then n
  const bounds = [0];
  let acc = 0;
  for (let i = 0; i < n && bounds.length < count; i++) {
    acc += load[i];
    if (acc >= (total * bounds.length) / count) bounds.push(i + 1);
  }
  while (bounds.length < count) bounds.push(n);
  bounds.push(n);

  // a nonzero 32-bit state for xorshift from the seed, then one more draw per further part
  const draw = mulberry32(seed);
  const parts: LayoutPart[] = [];
  for (let p = 0; p < count; p++) {
    const from = start[bounds[p]];
    const m = start[bounds[p + 1]] - from;
    const part: LayoutPart = {
      heads: new Int32Array(alloc(m * 4)),
      tails: new Int32Array(alloc(m * 4)),
      epochsPerSample: new Float32Array(alloc(m * 4)),
      nextSample: new Float32Array(alloc(m * 4)),
      nextNegative: new Float32Array(alloc(m * 4)),
      rng: new Int32Array(alloc(4)),
      y: count === 1 ? y : new Float32Array(alloc(y.length * 4)),
    };
    for (let j = 0; j < m; j++) {
      const e = order[from + j];
      part.heads[j] = heads[e];
      part.tails[j] = tails[e];
      const every = maxW / weights[e];
      part.epochsPerSample[j] = every;
      part.nextSample[j] = every;
      part.nextNegative[j] = every / NEGATIVE_SAMPLE_RATE;
    }
    part.rng[0] = Math.floor(draw() * 0xfffffffe) + 1;
    parts.push(part);
  }
  return parts;
}

/** Centres the starting layout and scales it to ±INIT_SCALE on its widest axis, into `out`. */
function scaleInit(init: Float32Array, dim: number, out: Float32Array): void {
  out.set(init);
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
}
