import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { zipSync } from 'fflate';
import { EngineError } from '../../../app/contract/errors.js';
import { readDatasetFile, type ReadDatasetOptions } from '../../../main/engine/dataset-files.js';
import { bytesOf, npyBytes, rejectsCode } from '../../unit/app/datasets/helpers.js';
import { writeParquet } from '../../unit/app/datasets/parquet-fixtures.js';
import { fixtureDir, load } from './fixtures.js';

/**
 * The fixture set of bad files, every one written here: truncated, wrong magic,
 * inconsistent dimensions, ragged rows, non-numeric cells, NaN/Inf, empty files, object arrays,
 * missing embedding field, unknown extension. Each must fail with its code and say where.
 */
const fx = fixtureDir('bad');
after(() => fx.remove());

const grid = (n: number, d: number) => Float32Array.from({ length: n * d }, (_, i) => i / 7);
const goodNpy = npyBytes('<f4', [10, 4], bytesOf(grid(10, 4)));
const fvecs = (dims: number[], values: (i: number, j: number) => number = (i, j) => i + j) => {
  const out = new Uint8Array(dims.reduce((s, d) => s + 4 + 4 * d, 0));
  const v = new DataView(out.buffer);
  let p = 0;
  dims.forEach((d, i) => {
    v.setInt32(p, d, true);
    p += 4;
    for (let j = 0; j < d; j++, p += 4) v.setFloat32(p, values(i, j), true);
  });
  return out;
};
const goodFvecs = fvecs([3, 3, 3, 3]);
const goodParquet = new Uint8Array(writeParquet([{ name: 'embedding', list: 'FLOAT', data: [[1, 2], [3, 4]] }]));
const goodNpz = zipSync({ 'a.npy': goodNpy });

interface Case {
  name: string;
  file: string;
  data: string | Uint8Array;
  opts?: ReadDatasetOptions;
  code: string;
  place: RegExp;
}

const cases: Case[] = [
  // truncated
  { name: 'truncated npy', file: 'cut.npy', data: goodNpy.subarray(0, goodNpy.length - 10), code: 'FILE_TRUNCATED', place: /row 9 \(byte offset \d+\)/ },
  { name: 'truncated npy header', file: 'cut-header.npy', data: goodNpy.subarray(0, 20), code: 'FILE_TRUNCATED', place: /byte offset 20/ },
  { name: 'truncated npz', file: 'cut.npz', data: goodNpz.subarray(0, goodNpz.length - 40), code: 'FILE_TRUNCATED', place: /byte offset/ },
  { name: 'truncated fvecs', file: 'cut.fvecs', data: goodFvecs.subarray(0, goodFvecs.length - 2), code: 'FILE_TRUNCATED', place: /row 3 \(byte offset 62\)/ },
  { name: 'truncated jsonl', file: 'cut.jsonl', data: '{"embedding": [1, 2]}\n{"embedding": [3,', code: 'FILE_TRUNCATED', place: /row 1 \(line 2, byte offset 22\)/ },
  { name: 'truncated json array', file: 'cut.json', data: '[{"embedding": [1, 2]}', code: 'FILE_TRUNCATED', place: /byte offset 22/ },
  { name: 'truncated parquet', file: 'cut.parquet', data: goodParquet.subarray(0, goodParquet.length - 9), code: 'FILE_TRUNCATED', place: /byte offset/ },
  { name: 'truncated csv quote', file: 'cut.csv', data: 'label,x\n"never closed,1\n', code: 'BAD_FILE', place: /line 2/ },
  // wrong magic
  { name: 'npy without its magic', file: 'fake.npy', data: 'x,y\n1,2\n', code: 'BAD_MAGIC', place: /byte offset 0/ },
  { name: 'npz that is not a zip', file: 'fake.npz', data: goodNpy, code: 'BAD_MAGIC', place: /byte offset 0/ },
  { name: 'parquet without PAR1', file: 'fake.parquet', data: goodNpy, code: 'BAD_MAGIC', place: /byte offset 0/ },
  { name: 'hdf5 without its signature', file: 'fake.hdf5', data: goodParquet, code: 'BAD_MAGIC', place: /byte offset 0/ },
  // inconsistent dimensions
  { name: 'fvecs with a changing dimension', file: 'dims.fvecs', data: fvecs([3, 3, 4, 3]), code: 'BAD_DIMENSION', place: /row 2 \(byte offset 32\)/ },
  { name: 'npy with a 3-D shape', file: 'cube.npy', data: npyBytes('<f4', [2, 2, 2], new Uint8Array(32)), code: 'BAD_DIMENSION', place: /byte offset 8/ },
  { name: 'npy with more data than its shape', file: 'long.npy', data: npyBytes('<f4', [2, 2], bytesOf(grid(3, 2))), code: 'BAD_FILE', place: /byte offset \d+/ },
  // ragged rows
  { name: 'ragged csv', file: 'ragged.csv', data: 'a,b,c\n1,2,3\n4,5\n', code: 'RAGGED_ROWS', place: /row 1 \(line 3, byte offset 12\)/ },
  { name: 'ragged tsv', file: 'ragged.tsv', data: '1\t2\n3\t4\t5\n', code: 'RAGGED_ROWS', place: /row 1 \(line 2, byte offset 4\)/ },
  { name: 'ragged jsonl', file: 'ragged.jsonl', data: '{"embedding": [1, 2]}\n{"embedding": [1, 2, 3]}\n', code: 'RAGGED_ROWS', place: /row 1/ },
  {
    name: 'ragged parquet',
    file: 'ragged.parquet',
    data: new Uint8Array(writeParquet([{ name: 'embedding', list: 'FLOAT', data: [[1, 2], [3]] }])),
    code: 'RAGGED_ROWS',
    place: /row 1/,
  },
  // non-numeric cells
  { name: 'non-numeric csv cell', file: 'words.csv', data: 'x,y\n1,2\n3,four\n', code: 'NOT_NUMERIC', place: /row 1, column 1 \("y"\) \(line 3, byte offset 10\)/ },
  { name: 'non-numeric jsonl element', file: 'words.jsonl', data: '{"embedding": [1, "two"]}\n', code: 'NOT_NUMERIC', place: /row 0, column 1/ },
  // NaN / Inf
  { name: 'NaN in npy', file: 'nan.npy', data: npyBytes('<f4', [3, 2], bytesOf(Float32Array.from([1, 2, 3, NaN, 5, 6]))), code: 'NON_FINITE', place: /row 1, column 1/ },
  { name: 'NaN in csv', file: 'nan.csv', data: '1,2\nNaN,4\n', code: 'NON_FINITE', place: /row 1, column 0 \(line 2/ },
  { name: 'Inf in tsv', file: 'inf.tsv', data: '1\t2\n3\tinf\n', code: 'NON_FINITE', place: /row 1, column 1/ },
  { name: 'NaN in jsonl', file: 'nan.jsonl', data: '{"embedding": [1, 2]}\n{"embedding": [NaN, 2]}\n', code: 'NON_FINITE', place: /row 1, column 0/ },
  { name: 'Inf in fvecs', file: 'inf.fvecs', data: fvecs([2, 2], (i, j) => (i === 1 && j === 0 ? Infinity : 1)), code: 'NON_FINITE', place: /row 1, column 0/ },
  {
    name: 'NaN in parquet',
    file: 'nan.parquet',
    data: new Uint8Array(writeParquet([{ name: 'embedding', list: 'DOUBLE', data: [[1, 2], [NaN, 3]] }])),
    code: 'NON_FINITE',
    place: /row 1, column 0/,
  },
  // empty files
  ...['npy', 'npz', 'fvecs', 'bvecs', 'csv', 'tsv', 'jsonl', 'json', 'parquet', 'h5'].map((ext) => ({
    name: `empty .${ext}`,
    file: `empty.${ext}`,
    data: '',
    code: 'EMPTY_FILE',
    place: new RegExp(`"empty\\.${ext}" is empty`),
  })),
  { name: 'csv with only a header', file: 'header-only.csv', data: 'x,y,z\n', code: 'EMPTY_FILE', place: /line 2/ },
  { name: 'npy with zero rows', file: 'zero.npy', data: npyBytes('<f4', [0, 8], new Uint8Array(0)), code: 'EMPTY_FILE', place: /no rows/ },
  { name: 'jsonl of blank lines', file: 'blank.jsonl', data: '\n\n\n', code: 'EMPTY_FILE', place: /no records/ },
  // object arrays
  { name: 'object npy', file: 'object.npy', data: npyBytes('|O', [2], new Uint8Array(16)), code: 'UNSUPPORTED_DTYPE', place: /^byte offset 10: object arrays/ },
  // missing embedding field
  { name: 'jsonl without embedding', file: 'noemb.jsonl', data: '{"id": 1, "emb": [1, 2]}\n', code: 'MISSING_FIELD', place: /row 0 \(line 1, byte offset 0\)/ },
  { name: 'jsonl missing the chosen field on row 2', file: 'gap.jsonl', data: '{"v": [1]}\n{"v": [2]}\n{"w": [3]}\n', opts: { field: 'v' }, code: 'MISSING_FIELD', place: /row 2 \(line 3, byte offset 22\)/ },
  { name: 'parquet without the chosen column', file: 'nocol.parquet', data: goodParquet, opts: { field: 'vec' }, code: 'MISSING_FIELD', place: /field "vec"/ },
  { name: 'npz without the chosen array', file: 'noarr.npz', data: goodNpz, opts: { array: 'b' }, code: 'MISSING_FIELD', place: /field "b"/ },
  // unknown extension
  { name: 'unknown extension', file: 'vectors.xlsx', data: 'whatever', code: 'UNKNOWN_FORMAT', place: /"vectors\.xlsx".*"\.xlsx"/ },
  { name: 'no extension', file: 'vectors', data: 'whatever', code: 'UNKNOWN_FORMAT', place: /"vectors".*no extension/ },
];

for (const c of cases) {
  test(`bad file: ${c.name} → ${c.code}`, async () => {
    await rejectsCode(load(fx.file(c.file, c.data), c.opts), c.code, c.place);
  });
}

test('Embedding Projector metadata with the wrong number of rows: RAGGED_ROWS naming metadata.tsv', async () => {
  const sub = fixtureDir('bad-projector');
  try {
    sub.file('metadata.tsv', 'word\tn\na\t1\n');
    await rejectsCode(load(sub.file('vectors.tsv', '1\t2\n3\t4\n')), 'RAGGED_ROWS', /metadata\.tsv has 1 row but there are 2 vectors/);
  } finally {
    sub.remove();
  }
});

test('a missing file is FILE_NOT_FOUND; a folder is BAD_FILE (both before the format is looked at)', async () => {
  await rejectsCode(load(fx.file('nope.npy')), 'FILE_NOT_FOUND', /nope\.npy/);
  await rejectsCode(load(fx.file('nope.xyz')), 'FILE_NOT_FOUND', /nope\.xyz/);
  mkdirSync(fx.file('folder.npy'));
  await rejectsCode(load(fx.file('folder.npy')), 'BAD_FILE', /folder/);
});

test('cancel between chunks stops the read with CANCELLED', async () => {
  const big = npyBytes('<f4', [40_000, 64], bytesOf(grid(40_000, 64))); // ~10 MB: three chunks
  const file = fx.file('big.npy', big);
  let chunks = 0;
  const progress: number[] = [];
  await assert.rejects(
    readDatasetFile(file, {}, (done) => progress.push(done), async () => {
      if (++chunks === 2) throw new EngineError('CANCELLED', 'load cancelled');
    }),
    (err: unknown) => err instanceof EngineError && err.code === 'CANCELLED',
  );
  assert.equal(chunks, 2);
  assert.equal(progress.length, 2);
  assert.ok(progress[1] < big.length);
  // and the same file still loads afterwards
  assert.equal((await load(file)).n, 40_000);
});
