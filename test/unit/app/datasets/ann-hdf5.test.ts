import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricFromDistance, readAnnHdf5, type H5DatasetLike, type H5FileLike } from '../../../../app/datasets/readers/ann-hdf5.js';
import { checkHdf5Head } from '../../../../app/datasets/readers/hdf5-signature.js';
import { rejectsCode, throwsCode } from './helpers.js';

/** Stands in for an h5wasm Dataset: row slices of a 2-D typed array. */
function fakeDataset(rows: number, cols: number, data: Float32Array | Float64Array | Int32Array, type = data instanceof Int32Array ? 0 : 1): H5DatasetLike {
  return {
    shape: [rows, cols],
    metadata: { type, size: data.BYTES_PER_ELEMENT, signed: true, littleEndian: true },
    slice: ([[start, end]]) => data.slice(start * cols, end * cols),
  };
}

function fakeFile(datasets: Record<string, H5DatasetLike>, distance?: string): H5FileLike {
  return {
    keys: () => Object.keys(datasets),
    get: (name) => datasets[name] ?? null,
    attrs: distance ? { distance: { value: distance } } : {},
  };
}

const seq = (n: number, f = (i: number) => i) => Float32Array.from({ length: n }, (_, i) => f(i));
const noop = async () => {};

test('ann-benchmarks layout: train, test, neighbors and the metric', async () => {
  const file = fakeFile(
    {
      train: fakeDataset(6, 2, seq(12)),
      test: fakeDataset(2, 2, Float64Array.from([0.5, 1, 2, 3])),
      neighbors: fakeDataset(2, 3, Int32Array.from([0, 1, 2, 3, 4, 5])),
      distances: fakeDataset(2, 3, seq(6)),
    },
    'angular',
  );
  const progress: number[] = [];
  const r = await readAnnHdf5(file, {}, (done, total) => progress.push(done / total), noop);
  assert.equal(r.n, 6);
  assert.equal(r.dim, 2);
  assert.equal(r.dtype, 'float32');
  assert.equal(r.nq, 2);
  assert.deepEqual([...r.queries], [0.5, 1, 2, 3]);
  assert.deepEqual(r.groundTruth, { k: 3, labels: Int32Array.from([0, 1, 2, 3, 4, 5]) });
  assert.equal(r.metric, 'cosine');
  assert.equal(progress.at(-1), 1);
});

test('distance names map to metrics', () => {
  assert.equal(metricFromDistance('euclidean'), 'l2');
  assert.equal(metricFromDistance('angular'), 'cosine');
  assert.equal(metricFromDistance('dot'), 'ip');
  assert.equal(metricFromDistance('hamming'), undefined);
  assert.equal(metricFromDistance(undefined), undefined);
});

test('without train: a chosen dataset, or the only 2-D one', async () => {
  const only = await readAnnHdf5(fakeFile({ emb: fakeDataset(3, 2, seq(6)) }), {}, () => {}, noop);
  assert.equal(only.n, 3);
  assert.equal(only.nq, 0);
  const chosen = await readAnnHdf5(fakeFile({ a: fakeDataset(1, 2, seq(2)), b: fakeDataset(2, 2, seq(4)) }), { array: 'b' }, () => {}, noop);
  assert.equal(chosen.n, 2);
  await rejectsCode(readAnnHdf5(fakeFile({ a: fakeDataset(1, 2, seq(2)), b: fakeDataset(2, 2, seq(4)) }), {}, () => {}, noop), 'MISSING_FIELD', /"train".*a, b/);
  await rejectsCode(readAnnHdf5(fakeFile({ train: fakeDataset(1, 2, seq(2)) }), { array: 'nope' }, () => {}, noop), 'MISSING_FIELD', /"nope"/);
});

test('bad contents: NaN, mismatched test dimension, unsupported types', async () => {
  await rejectsCode(readAnnHdf5(fakeFile({ train: fakeDataset(3, 2, seq(6, (i) => (i === 5 ? NaN : i))) }), {}, () => {}, noop), 'NON_FINITE', /"train".*row 2, column 1/);
  await rejectsCode(
    readAnnHdf5(fakeFile({ train: fakeDataset(2, 2, seq(4)), test: fakeDataset(1, 3, seq(3)) }), {}, () => {}, noop),
    'BAD_DIMENSION',
    /"test" vectors have 3 dimensions/,
  );
  const half: H5DatasetLike = { ...fakeDataset(1, 2, seq(2)), metadata: { type: 1, size: 2, signed: false, littleEndian: true } };
  await rejectsCode(readAnnHdf5(fakeFile({ train: half }), {}, () => {}, noop), 'UNSUPPORTED_DTYPE', /float16/);
  const strings: H5DatasetLike = { ...fakeDataset(1, 2, seq(2)), metadata: { type: 3, size: 8, signed: false, littleEndian: true } };
  await rejectsCode(readAnnHdf5(fakeFile({ train: strings }), {}, () => {}, noop), 'UNSUPPORTED_DTYPE', /"train"/);
  const cube: H5DatasetLike = { ...fakeDataset(1, 2, seq(2)), shape: [1, 1, 2] };
  await rejectsCode(readAnnHdf5(fakeFile({ train: cube }), {}, () => {}, noop), 'BAD_DIMENSION', /\(1, 1, 2\)/);
});

/** A version-2 superblock claiming an end-of-file address. */
function superblock(eof: number, at = 0): Uint8Array {
  const b = new Uint8Array(at + 48);
  b.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 2, 8, 8, 0], at);
  new DataView(b.buffer).setBigUint64(at + 28, BigInt(eof), true);
  return b;
}

test('the HDF5 signature and end-of-file address are checked first', () => {
  checkHdf5Head(superblock(1000), 1000);
  checkHdf5Head(superblock(1000, 512), 1512); // the superblock may follow a 512-byte user block
  throwsCode(() => checkHdf5Head(new TextEncoder().encode('PAR1 not hdf5 at all'), 20), 'BAD_MAGIC', /byte offset 0/);
  throwsCode(() => checkHdf5Head(superblock(5000), 1200), 'FILE_TRUNCATED', /5000 bytes long, it has 1200/);
});
