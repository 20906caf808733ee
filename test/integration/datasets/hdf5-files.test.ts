import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fixtureDir, load, python, pythonModules } from './fixtures.js';
import { rejectsCode } from '../../unit/app/datasets/helpers.js';

const fx = fixtureDir('hdf5');
const { h5py } = pythonModules();
const skip = h5py ? false : 'h5py is not installed for /usr/bin/python3 (apt-get install python3-h5py)';

const f32 = (name: string) => {
  const b = readFileSync(fx.file(name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const i32 = (name: string) => {
  const b = readFileSync(fx.file(name));
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

before(() => {
  if (!h5py) return;
  // ann-benchmarks' own layout, with exact ground truth computed by numpy
  python(
    `
import sys, numpy as np, h5py
d = sys.argv[1]
rng = np.random.default_rng(3)
train = rng.standard_normal((2000, 20)).astype('float32')
test = rng.standard_normal((25, 20)).astype('float32')
d2 = ((test[:, None, :] - train[None, :, :]) ** 2).sum(-1)
neighbors = np.argsort(d2, axis=1)[:, :10].astype('int32')
def ann(name, distance, **kw):
    with h5py.File(f'{d}/{name}', 'w') as f:
        f.attrs['distance'] = distance
        f.attrs['point_type'] = 'float'
        f.create_dataset('train', data=kw.get('train', train), **kw.get('opts', {}))
        f.create_dataset('test', data=test)
        f.create_dataset('neighbors', data=kw.get('neighbors', neighbors))
        f.create_dataset('distances', data=np.sort(d2, axis=1)[:, :10])
ann('euclidean.hdf5', 'euclidean')
ann('angular.h5', 'angular', train=train.astype('float64'), opts=dict(chunks=(100, 20), compression='gzip'))
ann('dot.hdf5', 'dot', neighbors=neighbors.astype('int64'))
bad = train.copy(); bad[1500, 4] = np.nan
ann('nan.hdf5', 'euclidean', train=bad)
with h5py.File(f'{d}/plain.h5', 'w') as f:
    f.create_dataset('embeddings', data=train[:50])
    f.create_dataset('ids', data=np.arange(50))
with h5py.File(f'{d}/half.h5', 'w') as f:
    f.create_dataset('train', data=train[:5].astype('float16'))
train.tofile(f'{d}/train.f32'); test.tofile(f'{d}/test.f32'); neighbors.tofile(f'{d}/neighbors.i32')
`,
    fx.dir,
  );
});
after(() => fx.remove());

test('ann-benchmarks HDF5 from h5py: base set, query set, ground truth and metric', { skip }, async () => {
  const r = await load(fx.file('euclidean.hdf5'));
  assert.equal(r.n, 2000);
  assert.equal(r.dim, 20);
  assert.equal(r.dtype, 'float32');
  assert.deepEqual(r.base, f32('train.f32'));
  assert.equal(r.nq, 25);
  assert.deepEqual(r.queries, f32('test.f32'));
  assert.equal(r.metric, 'l2');
  assert.equal(r.groundTruth?.k, 10);
  assert.deepEqual(r.groundTruth?.labels, i32('neighbors.i32'));
  const size = readFileSync(fx.file('euclidean.hdf5')).length;
  assert.deepEqual(r.progress.at(-1), [size, size]);
});

test('ann-benchmarks HDF5: angular (float64, chunked, gzip) and dot (int64 neighbors)', { skip }, async () => {
  const angular = await load(fx.file('angular.h5'));
  assert.equal(angular.metric, 'cosine');
  assert.equal(angular.dtype, 'float64');
  assert.deepEqual(angular.base, f32('train.f32'));
  const dot = await load(fx.file('dot.hdf5'));
  assert.equal(dot.metric, 'ip');
  assert.deepEqual(dot.groundTruth?.labels, i32('neighbors.i32'));
});

test('HDF5 without the ann layout: its only 2-D dataset, or the chosen one', { skip }, async () => {
  const r = await load(fx.file('plain.h5'));
  assert.equal(r.n, 50);
  assert.equal(r.nq, 0);
  assert.equal(r.metric, undefined);
  assert.equal((await load(fx.file('plain.h5'), { array: 'embeddings' })).n, 50);
  await rejectsCode(load(fx.file('plain.h5'), { array: 'train' }), 'MISSING_FIELD', /no dataset "train".*embeddings, ids/);
});

test('bad HDF5 files: NaN, float16, truncated, not HDF5 at all', { skip }, async () => {
  await rejectsCode(load(fx.file('nan.hdf5')), 'NON_FINITE', /"train".*row 1500, column 4/);
  await rejectsCode(load(fx.file('half.h5')), 'UNSUPPORTED_DTYPE', /float16/);
  const whole = readFileSync(fx.file('euclidean.hdf5'));
  await rejectsCode(load(fx.file('cut.hdf5', whole.subarray(0, whole.length >> 1))), 'FILE_TRUNCATED', /byte offset/);
  writeFileSync(fx.file('fake.h5'), 'just text, no superblock');
  await rejectsCode(load(fx.file('fake.h5')), 'BAD_MAGIC', /byte offset 0/);
});
