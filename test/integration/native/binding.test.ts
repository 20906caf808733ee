// Integration tests of the patched faiss-node binding (native/), checked
// against Python faiss on the same libfaiss where a reference is needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaissBinding, FaissIndex, SearchResult } from '../../../native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const modulePath = path.join(root, 'native/build/Release/faiss_node.node');
const PYTHON = '/usr/bin/python3';

let faiss: FaissBinding;
let work: string;
let hasPythonFaiss = false;

before(() => {
  // Cheap when up to date; builds the binding on a fresh checkout.
  const build = spawnSync(process.execPath, [path.join(root, 'native/build.mjs')], { encoding: 'utf8' });
  assert.equal(build.status, 0, `native build failed:\n${build.stdout}${build.stderr}`);
  faiss = createRequire(import.meta.url)(modulePath) as FaissBinding;
  work = mkdtempSync(path.join(tmpdir(), 'faiss-binding-test-'));
  hasPythonFaiss = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import faiss, numpy']).status === 0;
});
after(() => rmSync(work, { recursive: true, force: true }));

// Deterministic data (mulberry32).
function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

// Points around `centers` random centres, so that IVF partitions are meaningful.
function clustered(n: number, d: number, centers: number, seed: number): Float32Array {
  const c = random(centers * d, seed + 1);
  const noise = random(n * d, seed + 2);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = i % centers;
    for (let j = 0; j < d; j++) out[i * d + j] = c[k * d + j] * 4 + (noise[i * d + j] - 0.5) * 0.8;
  }
  return out;
}

function writeF32(name: string, data: Float32Array): string {
  const file = path.join(work, name);
  writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

function readF32(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function readI64(file: string): BigInt64Array {
  const b = readFileSync(file);
  return new BigInt64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function python(script: string, ...args: string[]): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `python failed:\n${r.stderr}`);
  return r.stdout;
}

function recall(result: SearchResult, truth: SearchResult, nq: number, k: number): number {
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const expected = new Set(Array.from(truth.labels.subarray(q * k, (q + 1) * k)));
    for (const label of result.labels.subarray(q * k, (q + 1) * k)) if (expected.has(label)) hits++;
  }
  return hits / (nq * k);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-4): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const tol = rel * Math.max(Math.abs(expected[i]), 1e-3);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `value ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

function sameLabels(a: SearchResult, b: SearchResult): boolean {
  return a.labels.length === b.labels.length && a.labels.every((v, i) => v === b.labels[i]);
}

function flatFrom(x: Float32Array, d: number, description = 'Flat'): FaissIndex {
  const index = faiss.Index.fromFactory(d, description);
  index.add(x);
  return index;
}

const FLT_MAX = 3.4028234663852886e38;

test('Flat L2 search gives the labels and distances of Python faiss', (t) => {
  if (!hasPythonFaiss) return t.skip('python3-faiss not available');
  const d = 32;
  const xb = random(2000 * d, 1);
  const xq = random(50 * d, 2);
  const index = flatFrom(xb, d);
  const k = 10;
  const r = index.search(xq, k);
  assert.ok(r.distances instanceof Float32Array && r.labels instanceof BigInt64Array);
  assert.equal(r.labels.length, 50 * k);

  python(
    `
import sys, numpy as np, faiss
d, k = 32, 10
xb = np.fromfile(sys.argv[1], dtype='float32').reshape(-1, d)
xq = np.fromfile(sys.argv[2], dtype='float32').reshape(-1, d)
index = faiss.IndexFlatL2(d)
index.add(xb)
D, I = index.search(xq, k)
D.astype('float32').tofile(sys.argv[3]); I.astype('int64').tofile(sys.argv[4])
`,
    writeF32('xb.f32', xb),
    writeF32('xq.f32', xq),
    path.join(work, 'D.f32'),
    path.join(work, 'I.i64'),
  );
  assert.deepEqual(Array.from(r.labels), Array.from(readI64(path.join(work, 'I.i64'))));
  assertClose(r.distances, readF32(path.join(work, 'D.f32')));
});

test('k > ntotal pads with label -1 (also for an empty index and the BLAS path)', () => {
  const d = 8;
  const index = flatFrom(random(3 * d, 3), d);
  const nq = 25; // >= 20 takes faiss' BLAS code path
  const r = index.search(random(nq * d, 4), 5);
  for (let q = 0; q < nq; q++) {
    const labels = Array.from(r.labels.subarray(q * 5, q * 5 + 5));
    assert.deepEqual(labels.slice(0, 3).sort(), [0n, 1n, 2n]);
    assert.deepEqual(labels.slice(3), [-1n, -1n]);
    assert.ok(r.distances[q * 5 + 4] >= FLT_MAX);
  }
  const ip = new faiss.IndexFlatIP(d);
  ip.add(random(2 * d, 5));
  const rip = ip.search(random(d, 6), 4);
  assert.deepEqual(Array.from(rip.labels.subarray(2)), [-1n, -1n]);
  assert.ok(rip.distances[3] <= -FLT_MAX);

  for (const description of ['Flat', 'IDMap,Flat', 'IDMap2,Flat', 'HNSW8']) {
    const empty = faiss.Index.fromFactory(d, description);
    const e = empty.search(random(nq * d, 7), 3);
    assert.ok(e.labels.every((l) => l === -1n), description);
  }
});

test('per-call nprobe changes IVF results and is restored afterwards', () => {
  const d = 32;
  const nb = 10000;
  const nq = 100;
  const k = 10;
  const xb = clustered(nb, d, 50, 10);
  const xq = clustered(nq, d, 50, 11);
  const truth = flatFrom(xb, d).search(xq, k);

  const ivf = faiss.Index.fromFactory(d, 'IVF64,Flat');
  ivf.train(xb);
  ivf.add(xb);
  const before = ivf.search(xq, k);
  const one = ivf.search(xq, k, 'nprobe=1');
  const all = ivf.search(xq, k, 'nprobe=64');
  assert.deepEqual(all.ignoredParams, []);
  const r1 = recall(one, truth, nq, k);
  const rAll = recall(all, truth, nq, k);
  assert.ok(r1 < rAll, `recall nprobe=1 ${r1} should be < nprobe=nlist ${rAll}`);
  assert.ok(rAll > 0.999, `nprobe=nlist is exhaustive, recall ${rAll}`);
  assert.ok(sameLabels(before, one), 'default nprobe is 1');
  assert.ok(sameLabels(ivf.search(xq, k), before), 'a plain search after a nprobe=64 search is unchanged');

  // Restored when the call fails after nprobe was applied.
  assert.throws(() => ivf.search(xq, k, 'nprobe=64,nosuchparam=3'), /^Error: UNKNOWN_PARAM:/);
  assert.ok(sameLabels(ivf.search(xq, k), before), 'restored after a failed call');

  // Nested IVF: behind IDMap and behind a PCA pre-transform.
  const ids = BigInt64Array.from({ length: nb }, (_, i) => BigInt(5000 + i));
  const idmap = faiss.Index.fromFactory(d, 'IDMap,IVF64,Flat');
  idmap.train(xb);
  idmap.addWithIds(xb, ids);
  const m1 = idmap.search(xq, k, 'nprobe=1');
  const mAll = idmap.search(xq, k, 'nprobe=64');
  assert.deepEqual(mAll.ignoredParams, []);
  assert.ok(!sameLabels(m1, mAll));
  assert.ok(mAll.labels.every((l) => l >= 5000n));
  assert.ok(sameLabels(idmap.search(xq, k), m1));
  assert.equal(idmap.ivfListSizes().reduce((a, b) => a + b, 0), nb);

  const pca = faiss.Index.fromFactory(d, 'PCA16,IVF64,Flat');
  pca.train(xb);
  pca.add(xb);
  assert.equal(pca.className(), 'IndexPreTransform');
  const p1 = pca.search(xq, k, 'nprobe=1');
  const pAll = pca.search(xq, k, 'nprobe=64');
  assert.deepEqual(pAll.ignoredParams, []);
  assert.ok(!sameLabels(p1, pAll));
  assert.ok(sameLabels(pca.search(xq, k), p1));
  const sizes = pca.ivfListSizes();
  assert.ok(sizes instanceof Int32Array && sizes.length === 64);
  assert.equal(sizes.reduce((a, b) => a + b, 0), nb);
});

test('per-call efSearch on HNSW, restored afterwards; nprobe is reported as ignored', () => {
  const d = 32;
  const nq = 200;
  const k = 10;
  const xb = random(10000 * d, 20);
  const xq = random(nq * d, 21);
  const truth = flatFrom(xb, d).search(xq, k);
  const hnsw = faiss.Index.fromFactory(d, 'HNSW4');
  hnsw.add(xb);
  assert.equal(hnsw.className(), 'IndexHNSWFlat');
  const before = hnsw.search(xq, k);
  const low = hnsw.search(xq, k, 'efSearch=10');
  const high = hnsw.search(xq, k, 'efSearch=400');
  assert.deepEqual(high.ignoredParams, []);
  const rLow = recall(low, truth, nq, k);
  const rHigh = recall(high, truth, nq, k);
  assert.ok(rLow < rHigh, `recall efSearch=10 ${rLow} should be < efSearch=400 ${rHigh}`);
  assert.ok(sameLabels(hnsw.search(xq, k), before));

  const mixed = hnsw.search(xq, k, 'nprobe=16,efSearch=400');
  assert.deepEqual(mixed.ignoredParams, ['nprobe']);
  assert.ok(sameLabels(mixed, high));
  assert.ok(sameLabels(hnsw.search(xq, k), before));
});

test('search parameter errors', () => {
  const d = 4;
  const index = flatFrom(random(10 * d, 30), d);
  const q = random(d, 31);
  assert.throws(
    () => index.search(q, 2, 'nprob=3'),
    (err: Error & { code?: string }) => err.message.startsWith('UNKNOWN_PARAM:') && err.code === 'UNKNOWN_PARAM',
  );
  assert.throws(() => index.search(q, 2, 'nprobe'), (err: Error & { code?: string }) => err.code === 'INVALID_PARAM');
  assert.throws(() => index.search(q, 2, 'nprobe=abc'), (err: Error & { code?: string }) => err.code === 'INVALID_PARAM');
  assert.deepEqual(index.search(q, 2, 'nprobe=3,efSearch=4').ignoredParams, ['nprobe', 'efSearch']);
  assert.deepEqual(index.search(q, 2, '').ignoredParams, []);
  assert.deepEqual(index.rangeSearch(q, 1, 'quantizer_efSearch=4').ignoredParams, ['quantizer_efSearch']);
});

test('addWithIds with IDMap, removeIds, and a clear error without IDMap', () => {
  const d = 8;
  const n = 100;
  const xb = random(n * d, 40);
  const index = faiss.Index.fromFactory(d, 'IDMap,Flat');
  assert.equal(index.className(), 'IndexIDMap');
  index.addWithIds(xb, BigInt64Array.from({ length: n }, (_, i) => BigInt(1000 + i)));
  assert.equal(index.ntotal(), n);
  const first = xb.subarray(0, d);
  assert.equal(index.search(first, 1).labels[0], 1000n);

  assert.equal(index.removeIds(BigInt64Array.of(1000n, 1001n, 424242n)), 2);
  assert.equal(index.ntotal(), n - 2);
  assert.notEqual(index.search(first, 1).labels[0], 1000n);
  assert.equal(index.removeIds([1002, 1003]), 2);
  assert.equal(index.ntotal(), n - 4);

  assert.throws(() => index.addWithIds(xb.subarray(0, 2 * d), BigInt64Array.of(1n)), RangeError);
  const plain = faiss.Index.fromFactory(d, 'Flat');
  assert.throws(() => plain.addWithIds(xb.subarray(0, d), BigInt64Array.of(7n)), /IDMap/);
  assert.throws(() => faiss.Index.fromFactory(d, 'HNSW8').removeIds([0]), Error);
});

test('reconstruct and reconstructN', () => {
  const d = 6;
  const xb = random(50 * d, 50);
  const index = flatFrom(xb, d);
  assert.deepEqual(Array.from(index.reconstruct(7)), Array.from(xb.subarray(7 * d, 8 * d)));
  assert.deepEqual(Array.from(index.reconstruct(7n)), Array.from(xb.subarray(7 * d, 8 * d)));
  const many = index.reconstructN(5, 3);
  assert.ok(many instanceof Float32Array);
  assert.deepEqual(Array.from(many), Array.from(xb.subarray(5 * d, 8 * d)));
  assert.throws(() => index.reconstruct(50), Error);
  assert.throws(() => index.reconstructN(45, 10), RangeError);

  const idmap2 = faiss.Index.fromFactory(d, 'IDMap2,Flat');
  idmap2.addWithIds(xb.subarray(0, 2 * d), BigInt64Array.of(77n, 88n));
  assert.deepEqual(Array.from(idmap2.reconstruct(88)), Array.from(xb.subarray(d, 2 * d)));
  assert.throws(() => idmap2.reconstruct(1), /not found/);

  // IVF: reconstructN works without a direct map, reconstruct needs one.
  const ivf = faiss.Index.fromFactory(d, 'IVF4,Flat');
  ivf.train(xb);
  ivf.add(xb);
  assert.deepEqual(Array.from(ivf.reconstructN(10, 2)), Array.from(xb.subarray(10 * d, 12 * d)));
  assert.throws(() => ivf.reconstruct(3), /direct map/);
});

test('rangeSearch matches brute force', () => {
  const d = 8;
  const nb = 1000;
  const nq = 10;
  const xb = random(nb * d, 60);
  const xq = random(nq * d, 61);
  const radius = 0.35;
  const index = flatFrom(xb, d);
  const r = index.rangeSearch(xq, radius);
  assert.ok(r.lims instanceof Float64Array && r.lims.length === nq + 1);
  assert.equal(r.labels.length, r.lims[nq]);
  assert.ok(r.lims[nq] > 0, 'radius should catch something');
  for (let q = 0; q < nq; q++) {
    const got = new Map<number, number>();
    for (let j = r.lims[q]; j < r.lims[q + 1]; j++) got.set(Number(r.labels[j]), r.distances[j]);
    for (let i = 0; i < nb; i++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (xq[q * d + j] - xb[i * d + j]) ** 2;
      if (Math.abs(dist - radius) < 1e-5) continue; // float rounding at the boundary
      assert.equal(got.has(i), dist < radius, `query ${q}, vector ${i}, distance ${dist}`);
      if (dist < radius) assert.ok(Math.abs(got.get(i)! - dist) < 1e-5);
    }
  }
  const empty = faiss.Index.fromFactory(d, 'Flat').rangeSearch(xq, radius);
  assert.deepEqual(Array.from(empty.lims), new Array(nq + 1).fill(0));
});

test('a Flat index adopts native vectors without a copy, and copies them before any change', () => {
  const d = 16;
  const data = clustered(2000, d, 8, 21);
  const x = faiss.allocVectors(data.length);
  assert.ok(x, 'node allows native memory behind a Float32Array');
  x.set(data);
  const queries = data.subarray(0, 20 * d);
  const copied = flatFrom(data, d);

  const adopted = faiss.Index.fromFactory(d, 'Flat');
  assert.equal(adopted.adoptVectors(x), true);
  assert.equal(adopted.ntotal(), 2000);
  assert.ok(sameLabels(adopted.search(queries, 5), copied.search(queries, 5)));
  // one storage backs one index; other memory, other kinds and non-empty indexes add as usual
  assert.equal(faiss.Index.fromFactory(d, 'Flat').adoptVectors(x), false, 'already lent');
  assert.equal(faiss.Index.fromFactory(d, 'Flat').adoptVectors(data), false, 'heap memory');
  assert.equal(faiss.Index.fromFactory(d, 'HNSW8').adoptVectors(x), false, 'not a Flat index');
  assert.equal(faiss.Index.fromFactory(d, 'Flat').adoptVectors(x.subarray(0, 100 * d)), false, 'part of a block');

  // an add makes the index copy first: the vectors it was lent are no longer its storage
  adopted.add(data.subarray(0, d));
  assert.equal(adopted.ntotal(), 2001);
  x.fill(0, 0, d);
  assertClose(adopted.reconstruct(0), data.subarray(0, d));
  assertClose(x.subarray(d, 2 * d), data.subarray(d, 2 * d));
  // and the block is free to be lent again
  const lent = faiss.Index.fromFactory(d, 'Flat');
  assert.equal(lent.adoptVectors(x), true);
  // faiss's merge empties the merged index: the borrowed vectors are copied first, not emptied
  const merged = faiss.Index.fromFactory(d, 'Flat');
  merged.mergeFrom(lent);
  assert.equal(merged.ntotal(), 2000);
  assert.equal(lent.ntotal(), 0);
  assertClose(x.subarray(d, 2 * d), data.subarray(d, 2 * d));
  assertClose(merged.reconstruct(1), data.subarray(d, 2 * d));
  assert.equal(faiss.Index.fromFactory(d, 'Flat').adoptVectors(x), true, 'the block came back whole');
});

test('writeAsync writes what write() writes, counting bytes, and stops when cancelled', async () => {
  const d = 32;
  const index = flatFrom(clustered(50_000, d, 8, 41), d);
  const sync = path.join(work, 'sync.index');
  const async = path.join(work, 'async.index');
  index.write(sync);
  const writing = index.writeAsync(async);
  assert.throws(() => index.search(new Float32Array(d), 1), (e: Error & { code?: string }) => e.code === 'BUSY');
  await writing;
  assert.ok(readFileSync(async).equals(readFileSync(sync)));
  assert.equal(index.jobTicks(), readFileSync(sync).length);
  // big enough (128 MB, eight pieces) that the cancel lands before the write is done
  const big = faiss.Index.fromFactory(d, 'Flat');
  big.add(new Float32Array(1_000_000 * d));
  const cancelled = big.writeAsync(path.join(work, 'cancelled.index'));
  big.cancelJob();
  await assert.rejects(cancelled, (e: Error & { code?: string }) => e.code === 'CANCELLED');
  assert.equal(big.ntotal(), 1_000_000, 'usable after a cancelled write');
});

test('firstNonFinite and rowNorms match plain loops', () => {
  const x = random(10_000, 5);
  assert.equal(faiss.firstNonFinite(x, 0, x.length), -1);
  x[7777] = Infinity;
  x[9000] = Number.NaN;
  assert.equal(faiss.firstNonFinite(x, 0, x.length), 7777);
  assert.equal(faiss.firstNonFinite(x, 7778, x.length), 9000);
  assert.equal(faiss.firstNonFinite(x, 0, 7777), -1);
  const d = 10;
  const rows = random(100 * d, 6);
  const norms = faiss.rowNorms(rows, d);
  assert.equal(norms.length, 100);
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(norms[i] - Math.hypot(...rows.subarray(i * d, (i + 1) * d))) < 1e-5);
});

test('trainAsync trains off the JS thread, counts faiss checks, and cancels at the next one', async () => {
  const d = 32;
  const x = clustered(20_000, d, 16, 31);
  const index = faiss.Index.fromFactory(d, 'IVF64,Flat');
  const done = index.trainAsync(x);
  assert.throws(() => index.ntotal(), (e: Error & { code?: string }) => e.code === 'BUSY');
  await done;
  assert.equal(index.isTrained(), true);
  assert.ok(index.jobTicks() > 0, 'faiss checked in while training');
  index.add(x);
  assert.equal(index.ntotal(), 20_000);

  const big = faiss.Index.fromFactory(d, 'IVF2048,Flat');
  const slow = big.trainAsync(clustered(120_000, d, 64, 32));
  big.cancelJob();
  // faiss only throws from its interrupt check: a rejection means k-means was stopped mid-way
  await assert.rejects(slow, (e: Error & { code?: string }) => e.code === 'CANCELLED');
  assert.equal(big.isTrained(), false);
  // the index is usable again: training it for real works
  await big.trainAsync(clustered(8192, d, 64, 33));
  assert.equal(big.isTrained(), true);
});

test('PCAMatrix: output shape, eigenvalues decreasing, explained variance', () => {
  const dIn = 16;
  const dOut = 3;
  const n = 2000;
  const base = random(n * dIn, 70);
  const x = new Float32Array(n * dIn);
  for (let i = 0; i < n * dIn; i++) x[i] = (base[i] - 0.5) * (1 + (i % dIn)); // variance grows with the column
  const pca = new faiss.PCAMatrix(dIn, dOut);
  assert.equal(pca.isTrained(), false);
  assert.throws(() => pca.apply(x), /not trained/);
  pca.train(x);
  assert.equal(pca.isTrained(), true);
  const y = pca.apply(x);
  assert.ok(y instanceof Float32Array);
  assert.equal(y.length, n * dOut);
  const ev = pca.eigenvalues();
  assert.equal(ev.length, dIn);
  for (let i = 1; i < dIn; i++) assert.ok(ev[i] <= ev[i - 1], `eigenvalues not decreasing at ${i}`);
  // The first component carries the scatter of the first eigenvalue.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i * dOut];
  mean /= n;
  let scatter = 0;
  for (let i = 0; i < n; i++) scatter += (y[i * dOut] - mean) ** 2;
  assert.ok(Math.abs(scatter - ev[0]) / ev[0] < 1e-2, `scatter ${scatter} vs eigenvalue ${ev[0]}`);
  assert.throws(() => new faiss.PCAMatrix(4, 8), RangeError);
  assert.throws(() => pca.apply(new Float32Array(5)), RangeError);
});

test('write/read round trip, and index files exchanged with Python faiss', (t) => {
  const d = 16;
  const xb = clustered(3000, d, 20, 80);
  const xq = random(20 * d, 81);
  const index = faiss.Index.fromFactory(d, 'IVF16,Flat');
  index.train(xb);
  index.add(xb);
  const file = path.join(work, 'binding.index');
  index.write(file);
  const again = faiss.Index.read(file);
  assert.equal(again.className(), 'IndexIVFFlat');
  assert.equal(again.ntotal(), 3000);
  assert.ok(sameLabels(again.search(xq, 5, 'nprobe=4'), index.search(xq, 5, 'nprobe=4')));

  if (!hasPythonFaiss) return t.skip('python3-faiss not available');
  // Python reads the binding's file, and writes one the binding reads.
  const pyFile = path.join(work, 'python.index');
  python(
    `
import sys, numpy as np, faiss
d = 16
index = faiss.read_index(sys.argv[1])
xq = np.fromfile(sys.argv[2], dtype='float32').reshape(-1, d)
index.nprobe = 4
D, I = index.search(xq, 5)
I.astype('int64').tofile(sys.argv[3])
xb = np.fromfile(sys.argv[4], dtype='float32').reshape(-1, d)
other = faiss.index_factory(d, 'IDMap,HNSW8')
other.add_with_ids(xb, np.arange(len(xb), dtype='int64') * 3)
faiss.write_index(other, sys.argv[5])
D, I = other.search(xq, 5)
I.astype('int64').tofile(sys.argv[6])
`,
    file,
    writeF32('rt-q.f32', xq),
    path.join(work, 'py-from-binding.i64'),
    writeF32('rt-b.f32', xb),
    pyFile,
    path.join(work, 'py-own.i64'),
  );
  assert.deepEqual(
    Array.from(readI64(path.join(work, 'py-from-binding.i64'))),
    Array.from(index.search(xq, 5, 'nprobe=4').labels),
  );
  const fromPython = faiss.Index.read(pyFile);
  assert.equal(fromPython.className(), 'IndexIDMap');
  assert.equal(fromPython.ntotal(), 3000);
  assert.deepEqual(Array.from(fromPython.search(xq, 5).labels), Array.from(readI64(path.join(work, 'py-own.i64'))));
});

// Runs in a child: glibc's adaptive mmap threshold would otherwise keep freed
// 10 MB blocks on the heap and make RSS too noisy to see a leak. (The published
// faiss-node leaked two full copies per round trip: ~4 GB here.)
const LEAK_SCRIPT = `
const faiss = require(process.argv[1]);
const d = 64, n = 40000;
const x = new Float32Array(n * d);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
const index = faiss.Index.fromFactory(d, 'Flat');
index.add(x);
const q = x.subarray(0, d);
const expected = Array.from(index.search(q, 3).labels, String).join();
const settle = async () => { for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setImmediate(r)); } };
(async () => {
  for (let i = 0; i < 10; i++) faiss.Index.fromBuffer(index.toBuffer());
  await settle();
  const start = process.memoryUsage().rss;
  let bytes = 0, checked = 0;
  const roundTrip = (i) => {
    const buffer = index.toBuffer();
    bytes = buffer.length;
    const copy = faiss.Index.fromBuffer(buffer);
    if (i % 50 === 0) {
      if (copy.ntotal() !== n || Array.from(copy.search(q, 3).labels, String).join() !== expected) throw new Error('bad copy');
      checked++;
    }
  };
  for (let i = 0; i < 200; i++) {
    roundTrip(i);
    if (i % 20 === 0) await settle();
  }
  await settle();
  const growthMB = (process.memoryUsage().rss - start) / 2 ** 20;
  const padded = Buffer.concat([Buffer.alloc(3), index.toBuffer()]).subarray(3);
  const offsetOk = faiss.Index.fromBuffer(padded).ntotal() === n;
  console.log(JSON.stringify({ growthMB, bytes, checked, offsetOk }));
})();
`;

test('toBuffer/fromBuffer 200 times on a ~10 MB index does not leak', (t) => {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', LEAK_SCRIPT, modulePath], {
    encoding: 'utf8',
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: String(1 << 20) },
  });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    growthMB: number;
    bytes: number;
    checked: number;
    offsetOk: boolean;
  };
  t.diagnostic(`RSS growth over 200 round trips of a ${(result.bytes / 1e6).toFixed(1)} MB index: ${result.growthMB.toFixed(1)} MB`);
  assert.ok(result.bytes > 10_000_000);
  assert.equal(result.checked, 4);
  assert.ok(result.offsetOk, 'a Buffer view with a byte offset reads correctly');
  assert.ok(result.growthMB < 50, `RSS grew by ${result.growthMB.toFixed(1)} MB`);
});

test('bad inputs throw JS errors and the process survives', () => {
  const d = 8;
  assert.throws(() => faiss.Index.fromFactory(d, 'NotAnIndex42'), /could not parse/);
  assert.throws(() => faiss.Index.fromFactory(0, 'Flat'), RangeError);
  const flat = faiss.Index.fromFactory(d, 'Flat');
  assert.throws(() => flat.add(new Float32Array(d + 1)), RangeError);
  assert.throws(() => flat.add('nope' as unknown as Float32Array), TypeError);
  assert.throws(() => flat.add(new Float64Array(d) as unknown as Float32Array), TypeError);
  assert.throws(() => flat.search(new Float32Array(d), 0), RangeError);
  assert.throws(() => flat.search(new Float32Array(3), 1), RangeError);

  const ivf = faiss.Index.fromFactory(d, 'IVF256,Flat');
  assert.throws(() => ivf.train(random(10 * d, 100)), /training points|clusters/);
  assert.throws(() => ivf.search(random(d, 101), 1), /not trained/);
  assert.throws(() => ivf.add(random(d, 102)), /not trained/);

  const junk = path.join(work, 'junk.index');
  writeFileSync(junk, 'this is not a faiss index, just some bytes'.repeat(10));
  assert.throws(() => faiss.Index.read(junk), Error);
  assert.throws(() => faiss.Index.read(path.join(work, 'missing.index')), Error);
  assert.throws(() => faiss.Index.fromBuffer(Buffer.from('garbage bytes here')), Error);
  assert.throws(() => faiss.Index.fromBuffer(new Uint8Array(0)), Error);
  assert.throws(() => flat.write(path.join(work, 'no-such-dir', 'x.index')), Error);
  assert.throws(() => flat.ivfListSizes(), /Not an IVF index/);

  // Still alive and working.
  flat.add(random(4 * d, 103));
  assert.equal(flat.ntotal(), 4);
});

test('the original faiss-node API (plain arrays) keeps working', () => {
  const index = new faiss.IndexFlatL2(2);
  index.add([0, 0, 1, 1, 5, 5]);
  const r = index.search([1, 1.1], 2);
  assert.deepEqual(r.labels, [1, 0]);
  assert.ok(Array.isArray(r.distances) && Math.abs(r.distances[0] - 0.01) < 1e-6);
  const other = new faiss.IndexFlatL2(2);
  other.add([9, 9]);
  index.mergeFrom(other);
  assert.equal(index.ntotal(), 4);
  const generic = new faiss.Index(2); // an IndexFlatL2, like IndexFlatL2's
  generic.mergeFrom(index);
  assert.equal(generic.ntotal(), 4);
  assert.equal(index.ntotal(), 0, 'faiss merge_from moves the vectors');
  assert.equal(faiss.IndexFlatIP.fromBuffer(generic.toBuffer()).ntotal(), 4);
  assert.equal(index.metricType(), 1);
  assert.equal(new faiss.IndexFlatIP(2).metricType(), 0);
});
