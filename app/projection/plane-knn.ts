/**
 * Exact k nearest neighbours of every point of a 2D layout (self excluded), through a uniform
 * grid: each point looks at rings of cells around its own until no unseen cell can hold a
 * nearer point. Far quicker than a brute-force search on a map (faiss's flat search is built for
 * many dimensions, not two). Returns n*k ids, row-major, nearest first.
 */
export function planeKnn(xy: Float32Array, k: number): Int32Array {
  const n = xy.length >> 1;
  const out = new Int32Array(n * k).fill(-1);
  if (n < 2) return out;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i], y = xy[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(n / 4)));
  const cell = Math.max((maxX - minX) / side, (maxY - minY) / side, 1e-12);
  const cols = Math.max(1, Math.ceil((maxX - minX) / cell) + 1);
  const rows = Math.max(1, Math.ceil((maxY - minY) / cell) + 1);
  const cx = (i: number) => Math.min(cols - 1, Math.floor((xy[2 * i] - minX) / cell));
  const cy = (i: number) => Math.min(rows - 1, Math.floor((xy[2 * i + 1] - minY) / cell));
  // counting sort of the points by cell
  const start = new Int32Array(cols * rows + 1);
  const cellOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    cellOf[i] = cy(i) * cols + cx(i);
    start[cellOf[i] + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cols * rows);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[cellOf[i]]++] = i;

  const ids = new Int32Array(k);
  const d2 = new Float64Array(k);
  const want = Math.min(k, n - 1);
  for (let i = 0; i < n; i++) {
    const px = xy[2 * i], py = xy[2 * i + 1];
    const gx = cx(i), gy = cy(i);
    let found = 0;
    const consider = (c: number) => {
      for (let p = start[c]; p < start[c + 1]; p++) {
        const j = items[p];
        if (j === i) continue;
        const dx = xy[2 * j] - px, dy = xy[2 * j + 1] - py;
        const d = dx * dx + dy * dy;
        if (found === want && d >= d2[want - 1]) continue;
        let q = found < want ? found++ : want - 1;
        while (q > 0 && d2[q - 1] > d) {
          d2[q] = d2[q - 1];
          ids[q] = ids[q - 1];
          q--;
        }
        d2[q] = d;
        ids[q] = j;
      }
    };
    for (let r = 0; ; r++) {
      for (let y = gy - r; y <= gy + r; y++) {
        if (y < 0 || y >= rows) continue;
        const edgeRow = y === gy - r || y === gy + r;
        for (let x = gx - r; x <= gx + r; x += edgeRow ? 1 : 2 * r) {
          if (x >= 0 && x < cols) consider(y * cols + x);
          if (r === 0) break;
        }
      }
      // every cell beyond ring r is at least r cells from the point
      const reach = r * cell;
      if (found === want && d2[want - 1] <= reach * reach) break;
      if (r > cols && r > rows) break;
    }
    out.set(ids.subarray(0, want), i * k);
  }
  return out;
}

/** Drops each row's own id from n rows of k+1 neighbours (or the last one when absent): n rows of k. */
export function withoutSelf<T extends Int32Array | Float32Array>(ids: Int32Array, values: T, n: number, kPlus: number): { ids: Int32Array; values: T } {
  const k = kPlus - 1;
  const outIds = new Int32Array(n * k);
  const outValues = new (values.constructor as { new (len: number): T })(n * k);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let j = 0; j < kPlus && w < k; j++) {
      const id = ids[i * kPlus + j];
      if (id === i) continue;
      outIds[i * k + w] = id;
      outValues[i * k + w] = values[i * kPlus + j];
      w++;
    }
  }
  return { ids: outIds, values: outValues };
}
