import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureDir, load, python, pythonModules } from './fixtures.js';
import { rejectsCode } from '../../unit/app/datasets/helpers.js';
import { labelsFromMetadata } from '../../../app/datasets/labels.js';

const fx = fixtureDir('npy');
const { numpy } = pythonModules();
const skip = numpy ? false : 'numpy is not installed for /usr/bin/python3';

/** float32 bytes that numpy wrote next to each array, as the reference for what we load. */
const reference = (name: string) => {
  const b = readFileSync(fx.file(name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

before(() => {
  if (!numpy) return;
  python(
    `
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
x = rng.standard_normal((300, 24))
for t in ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32']:
    a = (x * 40).astype(t) if t.startswith(('int', 'uint')) else x.astype(t)
    np.save(f'{d}/x_{t}.npy', a)
    a.astype('float32').tofile(f'{d}/x_{t}.f32')
np.save(f'{d}/big_endian.npy', x.astype('>f4'))
np.save(f'{d}/fortran.npy', np.asfortranarray(x.astype('float32')))
np.save(f'{d}/fortran64.npy', np.asfortranarray(x))
x.astype('float32').tofile(f'{d}/x.f32')
np.save(f'{d}/one.npy', x[3].astype('float32'))
np.save(f'{d}/object.npy', np.array([np.zeros(3), np.zeros(2)], dtype=object), allow_pickle=True)
np.save(f'{d}/structured.npy', np.zeros(4, dtype=[('a', '<f4'), ('b', '<i4')]))
np.save(f'{d}/strings.npy', np.array(['a', 'bb']))
y = x.astype('float32'); y[123, 17] = np.inf
np.save(f'{d}/inf.npy', y)
np.savez(f'{d}/pair.npz', base=x.astype('float32'), queries=x[:10])
np.savez_compressed(f'{d}/pair_compressed.npz', base=x.astype('float32'), queries=x[:10])
np.savez(f'{d}/positional.npz', x.astype('float16'))
digit = np.arange(300) % 10
for save, name in [(np.savez, 'digits.npz'), (np.savez_compressed, 'digits_compressed.npz')]:
    save(f'{d}/{name}', data=x.astype('float32'), labels=digit, names=np.array([f'item {i}' for i in range(300)]), weight=x[:, 0], queries=x[:10])
x[:10].astype('float32').tofile(f'{d}/queries.f32')
`,
    fx.dir,
  );
});
after(() => fx.remove());

test('npy written by numpy: every supported dtype becomes the same float32 values numpy gives', { skip }, async () => {
  for (const t of ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32']) {
    const r = await load(fx.file(`x_${t}.npy`));
    assert.equal(r.n, 300);
    assert.equal(r.dim, 24);
    assert.equal(r.dtype, t);
    assert.equal(r.nq, 0);
    assert.deepEqual(r.base, reference(`x_${t}.f32`), t);
    assert.deepEqual(r.progress.at(-1), [readFileSync(fx.file(`x_${t}.npy`)).length, readFileSync(fx.file(`x_${t}.npy`)).length]);
  }
});

test('npy written by numpy: big-endian, Fortran order and a 1-D vector', { skip }, async () => {
  const x = reference('x.f32');
  assert.deepEqual((await load(fx.file('big_endian.npy'))).base, x);
  assert.deepEqual((await load(fx.file('fortran.npy'))).base, x);
  assert.deepEqual((await load(fx.file('fortran64.npy'))).base, x);
  const one = await load(fx.file('one.npy'));
  assert.equal(one.n, 1);
  assert.deepEqual(one.base, x.slice(3 * 24, 4 * 24));
});

test('npy written by numpy: object, structured and string arrays are refused', { skip }, async () => {
  await rejectsCode(load(fx.file('object.npy')), 'UNSUPPORTED_DTYPE', /^byte offset 10: object arrays/);
  await rejectsCode(load(fx.file('structured.npy')), 'UNSUPPORTED_DTYPE', /structured/);
  await rejectsCode(load(fx.file('strings.npy')), 'UNSUPPORTED_DTYPE', /"<U2"/);
  await rejectsCode(load(fx.file('inf.npy')), 'NON_FINITE', /row 123, column 17/);
});

test('npz written by numpy (stored and compressed): the first array, or a chosen one', { skip }, async () => {
  for (const name of ['pair.npz', 'pair_compressed.npz']) {
    const first = await load(fx.file(name));
    assert.equal(first.n, 300);
    assert.deepEqual(first.base, reference('x.f32'));
    const chosen = await load(fx.file(name), { array: 'queries' });
    assert.equal(chosen.n, 10);
    assert.equal(chosen.dtype, 'float64');
    assert.deepEqual(chosen.base, reference('queries.f32'));
    assert.equal((await load(fx.file(name), { array: 'queries.npy' })).n, 10);
    await rejectsCode(load(fx.file(name), { array: 'labels' }), 'MISSING_FIELD', /no array "labels".*base, queries/);
  }
  const positional = await load(fx.file('positional.npz'));
  assert.equal(positional.metadata, undefined, 'no other arrays, no columns');
  assert.equal(positional.dtype, 'float16');
});

test('npz with labels beside the vectors: each 1-D numeric array of one value per vector is a column, labels colour by class', { skip }, async () => {
  for (const name of ['digits.npz', 'digits_compressed.npz']) {
    const file = await load(fx.file(name));
    assert.equal(file.n, 300);
    assert.deepEqual(file.base, reference('x.f32'));
    assert.deepEqual(file.metadata?.map((c) => c.name), ['labels', 'weight'], 'the strings and the 10-row queries are not columns');
    const labels = file.metadata![0];
    assert.deepEqual(labels.values.slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert.ok(Math.abs((file.metadata![1].values[5] as number) - file.base[5 * 24]) < 1e-6, 'weight is x[:, 0], row-aligned');
    const classes = labelsFromMetadata(file.metadata, file.n);
    assert.equal(classes?.column, 'labels');
    assert.deepEqual(classes?.names, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  }
});

test('a metadata file beside any vectors file (found by name, or given), one row per vector; a wrong row count names the file', { skip }, async () => {
  const npy = fx.file('digits_only.npy', readFileSync(fx.file('x_float32.npy')));
  fx.file('digits_only.metadata.tsv', ['digit\tname', ...Array.from({ length: 300 }, (_, i) => `${i % 10}\titem ${i}`)].join('\n') + '\n');
  const found = await load(npy);
  assert.deepEqual(found.metadata?.map((c) => [c.name, c.type]), [['digit', 'number'], ['name', 'string']]);
  assert.equal(found.metadata![1].values[42], 'item 42');
  assert.equal(labelsFromMetadata(found.metadata, found.n)?.column, 'digit', 'the digits colour the map; the 300 names are items, not classes');

  const picked = fx.file('picked.csv', ['kind,score', ...Array.from({ length: 300 }, (_, i) => `${i % 2 ? 'odd' : 'even'},${i / 10}`)].join('\n') + '\n');
  const given = await load(npy, { metadata: picked });
  assert.deepEqual(given.metadata?.map((c) => c.name), ['kind', 'score'], 'a given file is used instead of the one beside');
  assert.equal(labelsFromMetadata(given.metadata, given.n)?.column, 'kind');

  const short = fx.file('short.tsv', Array.from({ length: 299 }, (_, i) => `${i}`).join('\n') + '\n');
  await rejectsCode(load(npy, { metadata: short }), 'RAGGED_ROWS', /short\.tsv has 299 rows but there are 300 vectors/);
});
