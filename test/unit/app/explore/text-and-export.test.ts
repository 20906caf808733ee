import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVectors } from '../../../../app/explore/vector-text.js';
import { toCsv, toJson, toTsv } from '../../../../app/explore/table-export.js';

test('vectors parse from JSON or comma / space separated lines, with the dimension checked', () => {
  assert.deepEqual([...parseVectors('[1, 2.5, -3]', 3)], [1, 2.5, -3]);
  assert.deepEqual([...parseVectors('[[1,2],[3,4]]', 2)], [1, 2, 3, 4]);
  assert.deepEqual([...parseVectors('1, 2\n# note\n3 4\n', 2)], [1, 2, 3, 4]);
  assert.throws(() => parseVectors('1,2,3', 4), /3 numbers; this dataset has 4 dimensions/);
  assert.throws(() => parseVectors('1,x', 2), /Number 2 is not a finite number/);
  assert.throws(() => parseVectors('[1,', 2), /not valid JSON/);
  assert.throws(() => parseVectors('  ', 2), /Paste a vector/);
});

test('tables export as CSV (quoted where needed), JSON with how they were made, and TSV', () => {
  const table = { columns: ['id', 'label', 'distance'], rows: [[3, 'a,b', 0.5], [4, 'say "hi"', null], [5, '=SUM(A1)', 1]] };
  assert.equal(toCsv(table), 'id,label,distance\r\n3,"a,b",0.5\r\n4,"say ""hi""",\r\n5,\'=SUM(A1),1\r\n');
  const json = JSON.parse(toJson(table, { factory: 'Flat' }));
  assert.equal(json.factory, 'Flat');
  assert.deepEqual(json.rows[1], { id: 4, label: 'say "hi"', distance: null });
  assert.equal(toTsv(table).split('\n')[1], '3\ta,b\t0.5');
});
