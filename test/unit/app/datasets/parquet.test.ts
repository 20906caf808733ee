import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../../app/contract/errors.js';
import { readParquet } from '../../../../app/datasets/readers/parquet.js';
import { rejectsCode } from './helpers.js';
import { writeParquet } from './parquet-fixtures.js';

const rows = 25;
const embedding = Array.from({ length: rows }, (_, i) => [i, i + 0.5, -i]);
const noop = async () => {};

test('a list<float> column is the vector; other columns are metadata, across row groups', async () => {
  const file = writeParquet(
    [
      { name: 'id', type: 'INT64', data: embedding.map((_, i) => BigInt(i)) },
      { name: 'embedding', list: 'FLOAT', data: embedding },
      { name: 'text', type: 'STRING', data: embedding.map((_, i) => (i % 5 === 0 ? null : `t${i}`)) },
    ],
    10,
  );
  const progress: number[] = [];
  let checkpoints = 0;
  const t = await readParquet(file, {}, (done) => progress.push(done), async () => void checkpoints++);
  assert.equal(t.n, rows);
  assert.equal(t.dim, 3);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual([...t.base], embedding.flat());
  assert.deepEqual(t.metadata?.[0], { name: 'id', type: 'number', values: embedding.map((_, i) => i) });
  assert.equal(t.metadata?.[1].values[5], null);
  assert.equal(t.metadata?.[1].values[6], 't6');
  assert.equal(checkpoints, 3, 'one checkpoint per row group');
  assert.equal(progress.at(-1), file.byteLength);
  assert.ok(progress.every((p, i) => i === 0 || p >= progress[i - 1]));
});

test('list<double> reports float64; a chosen field wins over the default', async () => {
  const file = writeParquet([
    { name: 'a', list: 'DOUBLE', data: [[1, 2], [3, 4]] },
    { name: 'vector', list: 'FLOAT', data: [[9], [8]] },
  ]);
  const byDefault = await readParquet(file, {}, () => {}, noop);
  assert.equal(byDefault.dim, 1, '"vector" is preferred by name');
  const chosen = await readParquet(file, { field: 'a' }, () => {}, noop);
  assert.equal(chosen.dtype, 'float64');
  assert.deepEqual([...chosen.base], [1, 2, 3, 4]);
  assert.deepEqual(chosen.metadata?.[0], { name: 'vector', type: 'string', values: ['[9]', '[8]'] });
});

test('missing or unusable vector column: MISSING_FIELD / NOT_NUMERIC naming the field', async () => {
  const file = writeParquet([
    { name: 'id', type: 'INT64', data: [1n, 2n] },
    { name: 'emb', list: 'FLOAT', data: [[1], [2]] },
  ]);
  await rejectsCode(readParquet(file, { field: 'embedding' }, () => {}, noop), 'MISSING_FIELD', /no column "embedding".*id, emb/);
  await rejectsCode(readParquet(file, { field: 'id' }, () => {}, noop), 'NOT_NUMERIC', /"id" is not a list/);
  const flat = writeParquet([{ name: 'x', type: 'DOUBLE', data: [1, 2] }]);
  await rejectsCode(readParquet(flat, {}, () => {}, noop), 'MISSING_FIELD', /no column holds a list of numbers/);
});

test('ragged lists, nulls and NaN are reported with their row', async () => {
  const ragged = writeParquet([{ name: 'embedding', list: 'FLOAT', data: [[1, 2], [3, 4], [5]] }]);
  await rejectsCode(readParquet(ragged, {}, () => {}, noop), 'RAGGED_ROWS', /^row 2, .*1 number where the first vector has 2/);
  const missing = writeParquet([{ name: 'embedding', list: 'FLOAT', data: [[1, 2], null] }]);
  await rejectsCode(readParquet(missing, {}, () => {}, noop), 'NOT_NUMERIC', /^row 1, .*missing \(null\)/);
  const nan = writeParquet([{ name: 'embedding', list: 'DOUBLE', data: [[1, 2], [3, NaN]] }]);
  await rejectsCode(readParquet(nan, {}, () => {}, noop), 'NON_FINITE', /row 1, column 1/);
});

test('wrong magic and truncation', async () => {
  const file = new Uint8Array(writeParquet([{ name: 'embedding', list: 'FLOAT', data: [[1, 2]] }]));
  const junk = new TextEncoder().encode('definitely not a parquet file').buffer;
  await rejectsCode(readParquet(junk, {}, () => {}, noop), 'BAD_MAGIC', /byte offset 0/);
  await rejectsCode(readParquet(file.slice(0, file.length - 10).buffer, {}, () => {}, noop), 'FILE_TRUNCATED', /byte offset/);
});

test('cancel: the checkpoint between row groups stops the read', async () => {
  const file = writeParquet([{ name: 'embedding', list: 'FLOAT', data: embedding }], 5);
  let calls = 0;
  const cancel = async () => {
    if (++calls === 2) throw new EngineError('CANCELLED', 'cancelled');
  };
  await rejectsCode(readParquet(file, {}, () => {}, cancel), 'CANCELLED');
  assert.equal(calls, 2);
});
