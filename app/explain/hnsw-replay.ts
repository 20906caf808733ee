import { heapPop, heapPush, heapReplaceTop } from './max-heap.js';

// A replay of faiss 1.7.3's HNSW::search (search_bounded_queue, upper_beam 1) over faiss's own
// graph, recording each step. The distances come from the index itself (a callback), so the
// replay decides exactly as faiss does and ends on faiss's answer.

export interface HnswGraphArrays {
  /** per node, the number of levels it is on (its top level + 1) */
  levels: Int32Array;
  /** per node, where its links start in neighbors */
  offsets: Float64Array;
  /** -1 padded; node i's links on level l are neighbors[offsets[i] + cumNeighbors[l] .. offsets[i] + cumNeighbors[l + 1]) */
  neighbors: Int32Array;
  cumNeighbors: Int32Array;
  entryPoint: number;
  maxLevel: number;
}

export interface ReplaySettings {
  k: number;
  efSearch: number;
  checkRelativeDistance: boolean;
}

/** Distances (the ones the search minimises) from the query to these nodes. */
export type NodeDistances = (ids: Int32Array) => Float32Array;

export interface UpperLevelWalk {
  level: number;
  /** the nodes whose links were scanned, in order; the last one is where the level ends */
  path: number[];
  pathDistances: number[];
  distances: number;
}

export interface LevelZeroSearch {
  /** the node expanded at each step */
  expanded: Int32Array;
  /** every node whose distance was computed on level 0, in order (the start node first) */
  visited: Int32Array;
  visitedDistances: Float32Array;
  /** after step s, visited[0 .. visitedEnd[s]) have been computed */
  visitedEnd: Int32Array;
  /** candidates left in the queue after each step */
  candidates: Int32Array;
  /** the k-th best distance so far after each step (Infinity while fewer than k) */
  kth: Float32Array;
  stop: 'exhausted' | 'relative-distance' | 'steps';
}

export interface HnswReplay {
  /** k best, nearest first; -1 padded */
  labels: Int32Array;
  distances: Float32Array;
  entry: { node: number; distance: number };
  upper: UpperLevelWalk[];
  level0: LevelZeroSearch;
  /** distance computations in all, as faiss's ndis plus the entry and upper levels */
  distanceCount: number;
}

function linksOf(g: HnswGraphArrays, node: number, level: number, visit: (v: number) => void): void {
  const base = g.offsets[node];
  const end = base + g.cumNeighbors[level + 1];
  for (let j = base + g.cumNeighbors[level]; j < end; j++) {
    const v = g.neighbors[j];
    if (v < 0) break;
    visit(v);
  }
}

function neighbourIds(g: HnswGraphArrays, node: number, level: number, keep: (v: number) => boolean): Int32Array {
  const out: number[] = [];
  linksOf(g, node, level, (v) => {
    if (keep(v)) out.push(v);
  });
  return Int32Array.from(out);
}

/** greedy_update_nearest: move to the nearest link until no link is nearer */
function walkLevel(g: HnswGraphArrays, level: number, start: number, startDistance: number, dist: NodeDistances): UpperLevelWalk {
  let nearest = start;
  let dNearest = startDistance;
  const walk: UpperLevelWalk = { level, path: [start], pathDistances: [startDistance], distances: 0 };
  for (;;) {
    const prev = nearest;
    const ids = neighbourIds(g, prev, level, () => true);
    const d = dist(ids);
    walk.distances += ids.length;
    for (let i = 0; i < ids.length; i++) {
      if (d[i] < dNearest) {
        nearest = ids[i];
        dNearest = d[i];
      }
    }
    if (nearest === prev) return walk;
    walk.path.push(nearest);
    walk.pathDistances.push(dNearest);
  }
}

/** A heap's slots: distances and ids side by side, as faiss keeps them. */
class Slots {
  readonly dis: Float32Array;
  readonly ids: Int32Array;
  constructor(size: number) {
    this.dis = new Float32Array(size);
    this.ids = new Int32Array(size);
  }
}

/** HNSW::MinimaxHeap: a max-heap of at most n candidates whose popped slots stay (id -1). */
class MinimaxHeap extends Slots {
  k = 0;
  nvalid = 0;
  constructor(readonly n: number) {
    super(n);
  }
  push(id: number, v: number): void {
    if (this.k === this.n) {
      if (v >= this.dis[0]) return;
      // 1.7.3 counts one valid candidate less even when the slot dropped was already popped
      // (id -1): its queue can run dry while candidates remain, and the replay must too
      heapPop(this.k--, this.dis, this.ids);
      this.nvalid--;
    }
    heapPush(++this.k, this.dis, this.ids, v, id);
    this.nvalid++;
  }
  popMin(): { id: number; d: number } {
    let i = this.k - 1;
    while (i >= 0 && this.ids[i] === -1) i--;
    let imin = i;
    let vmin = this.dis[i];
    for (i--; i >= 0; i--) {
      if (this.ids[i] !== -1 && this.dis[i] < vmin) {
        vmin = this.dis[i];
        imin = i;
      }
    }
    const id = this.ids[imin];
    this.ids[imin] = -1;
    this.nvalid--;
    return { id, d: vmin };
  }
  countBelow(thresh: number): number {
    let n = 0;
    for (let i = 0; i < this.k; i++) if (this.dis[i] < thresh) n++;
    return n;
  }
}

/** faiss's result heap of the k best (maxheap_push / maxheap_replace_top on strict improvement). */
class Results extends Slots {
  n = 0;
  constructor(readonly k: number) {
    super(k);
  }
  offer(id: number, d: number): void {
    if (this.n < this.k) heapPush(++this.n, this.dis, this.ids, d, id);
    else if (d < this.dis[0]) heapReplaceTop(this.n, this.dis, this.ids, d, id);
  }
  worst(): number {
    return this.n < this.k ? Infinity : this.dis[0];
  }
  /** nearest first, ties by id: the order faiss's heap_reorder gives */
  sorted(): { labels: Int32Array; distances: Float32Array } {
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.dis[a] - this.dis[b] || this.ids[a] - this.ids[b]);
    const labels = new Int32Array(this.k).fill(-1);
    const distances = new Float32Array(this.k).fill(Infinity);
    order.forEach((slot, i) => {
      labels[i] = this.ids[slot];
      distances[i] = this.dis[slot];
    });
    return { labels, distances };
  }
}

export function replayHnswSearch(g: HnswGraphArrays, s: ReplaySettings, dist: NodeDistances): HnswReplay {
  const empty: LevelZeroSearch = {
    expanded: new Int32Array(0), visited: new Int32Array(0), visitedDistances: new Float32Array(0),
    visitedEnd: new Int32Array(0), candidates: new Int32Array(0), kth: new Float32Array(0), stop: 'exhausted',
  };
  if (g.entryPoint < 0) {
    const none = new Results(s.k).sorted();
    return { ...none, entry: { node: -1, distance: Infinity }, upper: [], level0: empty, distanceCount: 0 };
  }
  const entryDistance = dist(Int32Array.of(g.entryPoint))[0];
  let nearest = g.entryPoint;
  let dNearest = entryDistance;
  const upper: UpperLevelWalk[] = [];
  for (let level = g.maxLevel; level >= 1; level--) {
    const walk = walkLevel(g, level, nearest, dNearest, dist);
    upper.push(walk);
    nearest = walk.path[walk.path.length - 1];
    dNearest = walk.pathDistances[walk.pathDistances.length - 1];
  }

  const candidates = new MinimaxHeap(Math.max(s.efSearch, s.k));
  candidates.push(nearest, dNearest);
  const results = new Results(s.k);
  const visitedTable = new Uint8Array(g.levels.length);
  const visited = [nearest];
  const visitedDistances = [dNearest];
  results.offer(nearest, dNearest);
  visitedTable[nearest] = 1;

  const expanded: number[] = [];
  const visitedEnd: number[] = [];
  const left: number[] = [];
  const kth: number[] = [];
  let stop: LevelZeroSearch['stop'] = 'exhausted';
  let ndis = 0;
  let nstep = 0;
  while (candidates.nvalid > 0) {
    const { id: v0, d: d0 } = candidates.popMin();
    if (s.checkRelativeDistance && candidates.countBelow(d0) >= s.efSearch) {
      stop = 'relative-distance';
      break;
    }
    const ids = neighbourIds(g, v0, 0, (v) => {
      if (visitedTable[v]) return false;
      visitedTable[v] = 1;
      return true;
    });
    const d = dist(ids);
    ndis += ids.length;
    for (let i = 0; i < ids.length; i++) {
      results.offer(ids[i], d[i]);
      candidates.push(ids[i], d[i]);
      visited.push(ids[i]);
      visitedDistances.push(d[i]);
    }
    expanded.push(v0);
    visitedEnd.push(visited.length);
    left.push(candidates.nvalid);
    kth.push(results.worst());
    nstep++;
    if (!s.checkRelativeDistance && nstep > s.efSearch) {
      stop = 'steps';
      break;
    }
  }
  const upperCount = upper.reduce((sum, w) => sum + w.distances, 0);
  return {
    ...results.sorted(),
    entry: { node: g.entryPoint, distance: entryDistance },
    upper,
    level0: {
      expanded: Int32Array.from(expanded),
      visited: Int32Array.from(visited),
      visitedDistances: Float32Array.from(visitedDistances),
      visitedEnd: Int32Array.from(visitedEnd),
      candidates: Int32Array.from(left),
      kth: Float32Array.from(kth),
      stop,
    },
    distanceCount: 1 + upperCount + ndis,
  };
}
