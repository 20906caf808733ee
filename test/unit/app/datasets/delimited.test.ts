import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedReader, sniffDelimiter, type DelimitedOptions } from '../../../../app/datasets/readers/delimited.js';
import { feed, text, throwsCode } from './helpers.js';

const read = (s: string, opts: DelimitedOptions = {}, size?: number) => feed(new DelimitedReader(opts), text(s), size);

test('plain numbers without a header: every column is the vector', () => {
  for (const size of [1, 2, 3, 7, 1000]) {
    const t = read('1,2,3\n4,5,6\n7,8,9\n', {}, size);
    assert.equal(t.n, 3);
    assert.equal(t.dim, 3);
    assert.equal(t.header, null);
    assert.equal(t.dtype, 'text');
    assert.deepEqual([...t.base], [1, 2, 3, 4, 5, 6, 7, 8, 9], `chunk ${size}`);
    assert.equal(t.metadata, undefined);
  }
});

test('a header row is detected; text columns and id-like columns become metadata', () => {
  const csv = 'id,word,x0,x1\r\n0,"cat, the animal",0.5,1.5\r\n1,dog,-2,3e-1\r\n2,,1,1\r\n';
  for (const size of [1, 5, 1000]) {
    const t = read(csv, {}, size);
    assert.deepEqual(t.header, ['id', 'word', 'x0', 'x1']);
    assert.equal(t.dim, 2);
    assert.deepEqual([...t.base], [0.5, 1.5, -2, Math.fround(0.3), 1, 1]);
    assert.deepEqual(t.metadata, [
      { name: 'id', type: 'number', values: [0, 1, 2] },
      { name: 'word', type: 'string', values: ['cat, the animal', 'dog', null] },
    ]);
  }
});

test('quotes: doubled quotes and line breaks inside a quoted cell', () => {
  const t = read('label,a,b\n"say ""hi""",1,2\n"two\nlines",3,4\nplain,5,6', {}, 4);
  assert.deepEqual(t.metadata?.[0].values, ['say "hi"', 'two\nlines', 'plain']);
  assert.deepEqual([...t.base], [1, 2, 3, 4, 5, 6]);
});

test('pandas index column (empty header) is metadata, not a coordinate', () => {
  const t = read(',0,1\n0,0.1,0.2\n1,0.3,0.4\n');
  assert.equal(t.dim, 2);
  assert.deepEqual(t.metadata?.map((m) => m.name), ['column 0']);
});

test("pandas' default header 0,1,2,... (to_csv(index=False) of a bare array) is a header", () => {
  const t = read('0,1,2\n0.5,0.25,1\n2,3,4\n');
  assert.deepEqual(t.header, ['0', '1', '2']);
  assert.equal(t.n, 2);
  assert.equal(read('0,1,2\n0,1,2\n').n, 2, 'unless the data looks the same');
});

test('chosen columns form the vector; the rest is metadata, typed', () => {
  const t = read('a,b,year\n1,2,1999\n3,4,2001\n', { columns: [0, 1] });
  assert.equal(t.dim, 2);
  assert.deepEqual(t.metadata, [{ name: 'year', type: 'number', values: [1999, 2001] }]);
  throwsCode(() => read('a,b\n1,2\n', { columns: [0, 5] }), 'MISSING_FIELD', /column 5.*2 columns/);
});

test('semicolons and tabs are sniffed; TSV keeps quote characters literally', () => {
  assert.equal(sniffDelimiter(text('a;b;c\n1;2;3')), ';');
  assert.equal(sniffDelimiter(text('a\tb\n')), '\t');
  assert.equal(read('1;2\n3;4\n').dim, 2);
  const t = read('name\tv1\tv2\n5" screen\t1\t2\n', { delimiter: '\t', quoting: false });
  assert.deepEqual(t.metadata?.[0].values, ['5" screen']);
});

test('a single row of numbers is data; a single row of words is a header without data', () => {
  assert.equal(read('1,2,3').n, 1);
  throwsCode(() => read('a,b,c\n'), 'EMPTY_FILE', /no data rows/);
});

test('empty file, or only blank lines: EMPTY_FILE', () => {
  throwsCode(() => read(''), 'EMPTY_FILE');
  throwsCode(() => read('\n\n\n'), 'EMPTY_FILE');
});

test('ragged rows: RAGGED_ROWS with row, line and byte', () => {
  const err = throwsCode(() => read('x,y,z\n1,2,3\n4,5,6\n7,8\n9,10,11\n', {}, 3), 'RAGGED_ROWS', /row 2 \(line 4, byte offset 18\)/);
  assert.match(err.message, /2 cells where the first row has 3/);
});

test('a non-numeric cell in a vector column: NOT_NUMERIC with row, column, field and line', () => {
  const err = throwsCode(() => read('a,b\n1,2\n3,oops\n', {}, 2), 'NOT_NUMERIC', /row 1, column 1 \("b"\) \(line 3, byte offset 10\)/);
  assert.match(err.message, /"oops"/);
  throwsCode(() => read('1,2\n3,\n'), 'NOT_NUMERIC', /row 1, column 1/);
  throwsCode(() => read('a,b\nx,y\n'), 'NOT_NUMERIC', /no column holds numbers/);
});

test('NaN and infinities: NON_FINITE with row and column', () => {
  throwsCode(() => read('1,2\n3,nan\n'), 'NON_FINITE', /row 1, column 1/);
  throwsCode(() => read('a,b\n1,2\n-inf,4\n'), 'NON_FINITE', /row 1, column 0 \("a"\)/);
  throwsCode(() => read('1,1e39\n'), 'NON_FINITE', /^row 0, column 1 \(line 1, byte offset 2\): .*too large for float32/);
});

test('an unclosed quote is BAD_FILE naming where it starts', () => {
  throwsCode(() => read('label,a\n"open,1\n2,3\n'), 'BAD_FILE', /line 2/);
});

test('rows are reserved from the size estimate without changing the result', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `${i},${i + 0.5}`).join('\n');
  const t = read(lines, { totalBytes: lines.length }, 256);
  assert.equal(t.n, 500);
  assert.equal(t.base.length, 1000);
  assert.equal(t.base[999], 499.5);
});
