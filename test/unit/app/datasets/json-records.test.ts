import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonRecordsReader, type JsonRecordsOptions } from '../../../../app/datasets/readers/json-records.js';
import { feed, text, throwsCode } from './helpers.js';

const read = (s: string, opts: Partial<JsonRecordsOptions> = {}, size?: number) => feed(new JsonRecordsReader({ format: 'jsonl', ...opts }), text(s), size);

const jsonl = [
  '{"id": 1, "text": "a \\"quoted\\" {brace}", "embedding": [0.5, 1, -2]}',
  '{"id": 2, "text": "é ü", "embedding": [1e-3, 2, 3], "tags": ["x", "y"], "ok": true}',
  '{"id": 3, "embedding": [7, 8, 9]}',
].join('\n');

test('JSON Lines: "embedding" is the vector, every other field is metadata', () => {
  for (const size of [1, 2, 9, 10_000]) {
    const t = read(jsonl, {}, size);
    assert.equal(t.n, 3);
    assert.equal(t.dim, 3);
    assert.deepEqual([...t.base], [0.5, 1, -2, Math.fround(1e-3), 2, 3, 7, 8, 9]);
    assert.deepEqual(t.metadata, [
      { name: 'id', type: 'number', values: [1, 2, 3] },
      { name: 'text', type: 'string', values: ['a "quoted" {brace}', 'é ü', null] },
      { name: 'tags', type: 'string', values: [null, '["x","y"]', null] },
      { name: 'ok', type: 'string', values: [null, 'true', null] },
    ]);
  }
});

test('"vector" is the fallback field; a chosen field wins', () => {
  assert.equal(read('{"vector": [1, 2]}\n{"vector": [3, 4]}').dim, 2);
  const t = read('{"a": [1, 2, 3], "b": [4, 5]}', { field: 'b' });
  assert.deepEqual([...t.base], [4, 5]);
  assert.deepEqual(t.metadata?.[0], { name: 'a', type: 'string', values: ['[1,2,3]'] });
});

test('.json: an array of records, pretty-printed over many lines, or of bare vectors', () => {
  const pretty = JSON.stringify([{ embedding: [1, 2], name: 'p' }, { embedding: [3, 4], name: 'q' }], null, 2);
  for (const size of [1, 3, 1000]) {
    const t = read(pretty, { format: 'json' }, size);
    assert.deepEqual([...t.base], [1, 2, 3, 4]);
    assert.deepEqual(t.metadata?.[0].values, ['p', 'q']);
  }
  const bare = read('[[1, 2, 3], [4, 5, 6]]', { format: 'json' });
  assert.equal(bare.n, 2);
  assert.equal(bare.metadata, undefined);
  // .json files that are really JSON Lines
  assert.equal(read('{"embedding": [1]}\n{"embedding": [2]}\n', { format: 'json' }).n, 2);
});

test('missing embedding field: MISSING_FIELD naming the row and the fields there are', () => {
  const err = throwsCode(() => read('{"emb": [1, 2], "id": 0}'), 'MISSING_FIELD', /row 0 \(line 1, byte offset 0\)/);
  assert.match(err.message, /emb, id/);
  throwsCode(() => read('{"embedding": [1, 2]}\n{"id": 5}\n'), 'MISSING_FIELD', /^row 1 \(line 2, byte offset 22\): .*"embedding"/);
  throwsCode(() => read('{"vector": [1]}', { field: 'emb' }), 'MISSING_FIELD', /"emb"/);
});

test('ragged vectors: RAGGED_ROWS with the row', () => {
  throwsCode(() => read('{"embedding": [1, 2, 3]}\n{"embedding": [1, 2]}\n'), 'RAGGED_ROWS', /^row 1, field "embedding" .*2 numbers where the first vector has 3/);
});

test('a non-number in the vector: NOT_NUMERIC with row and column', () => {
  throwsCode(() => read('{"embedding": [1, 2]}\n{"embedding": [3, "4"]}\n'), 'NOT_NUMERIC', /^row 1, column 1 .*value "4" is not a number/);
  throwsCode(() => read('{"embedding": "1,2"}'), 'NOT_NUMERIC', /^row 0 .*string, not a list/);
});

test("Python's NaN and Infinity: NON_FINITE with row and column", () => {
  throwsCode(() => read('{"embedding": [1, 2]}\n{"embedding": [3, NaN]}\n'), 'NON_FINITE', /row 1, column 1/);
  throwsCode(() => read('{"embedding": [-Infinity, 2]}'), 'NON_FINITE', /row 0, column 0/);
});

test('empty, truncated and malformed files', () => {
  throwsCode(() => read(''), 'EMPTY_FILE');
  throwsCode(() => read('[]', { format: 'json' }), 'EMPTY_FILE');
  throwsCode(() => read('{"embedding": [1, 2]}\n{"embedding": [3, '), 'FILE_TRUNCATED', /row 1 \(line 2, byte offset 22\)/);
  throwsCode(() => read('[{"embedding": [1]}', { format: 'json' }), 'FILE_TRUNCATED', /closing \]/);
  throwsCode(() => read('{"embedding": [1, 2,]}'), 'BAD_FILE', /^row 0 .*not valid JSON/);
  throwsCode(() => read('42\n'), 'BAD_FILE', /not a JSON object/);
});
