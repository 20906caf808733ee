// faiss's binary max-heap (faiss/utils/Heap.h with CMax<float, int>), step for step: the HNSW
// replay must leave its candidates in the same slots as faiss does, because faiss's pop_min scans
// the slots and breaks ties by position. Slots are 1-based in faiss; here slot i is array[i - 1].

/** CMax::cmp2: a is above b in a max-heap (larger distance, then larger id) */
function above(da: number, db: number, ia: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}

/** Removes the top of the heap of size k (slots 1..k); slot k is then free. */
export function heapPop(k: number, dis: Float32Array, ids: Int32Array): void {
  // faiss sifts slot k's entry down from the top; the loop never writes slot k, so this is the same
  heapReplaceTop(k, dis, ids, dis[k - 1], ids[k - 1]);
}

/** Adds (val, id) to a heap that now has size k (slot k is the new one). */
export function heapPush(k: number, dis: Float32Array, ids: Int32Array, val: number, id: number): void {
  let i = k;
  while (i > 1) {
    const father = i >> 1;
    if (!above(val, dis[father - 1], id, ids[father - 1])) break;
    dis[i - 1] = dis[father - 1];
    ids[i - 1] = ids[father - 1];
    i = father;
  }
  dis[i - 1] = val;
  ids[i - 1] = id;
}

/** Replaces the top of the heap of size k by (val, id). */
export function heapReplaceTop(k: number, dis: Float32Array, ids: Int32Array, val: number, id: number): void {
  let i = 1;
  for (;;) {
    const i1 = i << 1;
    const i2 = i1 + 1;
    if (i1 > k) break;
    const child = i2 === k + 1 || above(dis[i1 - 1], dis[i2 - 1], ids[i1 - 1], ids[i2 - 1]) ? i1 : i2;
    if (above(val, dis[child - 1], id, ids[child - 1])) break;
    dis[i - 1] = dis[child - 1];
    ids[i - 1] = ids[child - 1];
    i = child;
  }
  dis[i - 1] = val;
  ids[i - 1] = id;
}
