import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HTTP_STATUS } from '../../../../app/contract/errors.js';
import { parseByteSize } from '../../../../app/datasets/byte-sizes.js';
import { checkDataClaim, checkMemoryClaim } from '../../../../app/datasets/readers/claims.js';
import { FloatBuffer } from '../../../../app/datasets/readers/float-buffer.js';
import { JsonRecordsReader } from '../../../../app/datasets/readers/json-records.js';
import { MAX_JSON_DEPTH } from '../../../../app/datasets/readers/json-values.js';
import { NpyReader } from '../../../../app/datasets/readers/npy.js';
import { feed, throwsCode } from './helpers.js';

const GiB = 2 ** 30;
const limits = { memoryLeft: 64 << 20, memoryBudget: 128 << 20 };

/** A .npy file with only its header: whatever shape it claims, no data follows. */
function npyHeaderOnly(shape: string): Uint8Array {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

const NEVER = { alloc: (): Float32Array => assert.fail('the reader allocated for a claim the file cannot back'), firstNonFinite: () => -1 };

test('sizes parse in binary units and refuse what is not a size', () => {
  assert.equal(parseByteSize('8G'), 8 * GiB);
  assert.equal(parseByteSize('512 MiB'), 512 * 2 ** 20);
  assert.equal(parseByteSize('1.5gb'), 1.5 * GiB);
  assert.equal(parseByteSize('1000'), 1000);
  for (const bad of ['', 'lots', '-1G', '0', '8X', '1e3', '99999999999T']) assert.equal(parseByteSize(bad), null, bad);
});

test('a claim beyond the bytes present is FILE_TRUNCATED, beyond the budget MEMORY_BUDGET (HTTP 413)', () => {
  assert.doesNotThrow(() => checkDataClaim('x', 100, 100));
  throwsCode(() => checkDataClaim('x', 101, 100), 'FILE_TRUNCATED');
  throwsCode(() => checkDataClaim('x', 2 ** 60, 100), 'FILE_TRUNCATED');
  throwsCode(() => checkDataClaim('x', Infinity, 100), 'FILE_TRUNCATED');
  assert.doesNotThrow(() => checkMemoryClaim('x', 16 << 20, limits));
  const err = throwsCode(() => checkMemoryClaim('the array', (16 << 20) + 1, limits), 'MEMORY_BUDGET');
  assert.match(err.message, /needs 64\.0 MiB.*64\.0 MiB left of 128\.0 MiB.*--memory-budget/);
  assert.doesNotThrow(() => checkMemoryClaim('x', 2 ** 40, undefined), 'no limits: no budget');
  assert.equal(HTTP_STATUS.MEMORY_BUDGET, 413);
});

test('a 128-byte .npy claiming (2^21, 512) is refused before anything is allocated', () => {
  const file = npyHeaderOnly('(2097152, 512)');
  assert.equal(file.length, 128);
  throwsCode(() => feed(new NpyReader(NEVER, { totalBytes: file.length }), file), 'FILE_TRUNCATED', /row 0 \(byte offset 128\)/);
});

test('an .npy claiming 10^12 rows is FILE_TRUNCATED, not a RangeError', () => {
  const file = npyHeaderOnly('(1000000000000, 64)');
  throwsCode(() => feed(new NpyReader(NEVER, { totalBytes: file.length }), file), 'FILE_TRUNCATED');
});

test('an .npy whose data is all there but over the budget is MEMORY_BUDGET', () => {
  const header = npyHeaderOnly('(65536, 257)');
  throwsCode(() => feed(new NpyReader(NEVER, { totalBytes: header.length + 65536 * 257 * 4, limits }), header), 'MEMORY_BUDGET');
});

test('growing vectors past the budget is refused, not attempted', () => {
  const buf = new FloatBuffer(16, { memoryLeft: 1024, memoryBudget: 1024 });
  for (let i = 0; i < 256; i++) buf.push(i);
  throwsCode(() => buf.push(1), 'MEMORY_BUDGET');
});

test('JSON nested deeper than the limit is BAD_FILE, however deep', () => {
  // the outermost bracket opens the array of records; the records inside it nest the rest
  for (const depth of [MAX_JSON_DEPTH + 2, 1_000_000]) {
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    throwsCode(() => feed(new JsonRecordsReader({ format: 'json' }), new TextEncoder().encode(text), 1 << 16), 'BAD_FILE', /nests deeper/);
  }
  const fine = feed(new JsonRecordsReader({ format: 'jsonl' }), new TextEncoder().encode('{"embedding": [1, 2], "meta": {"a": [[[1]]]}}\n'));
  assert.equal(fine.dim, 2);
});
