import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { NpyReader } from '../../../../app/datasets/readers/npy.js';
import {
  END_SEARCH_BYTES,
  entryDecoder,
  findCentralDirectory,
  LOCAL_HEADER_BYTES,
  localDataOffset,
  parseCentralDirectory,
  type ZipEntry,
} from '../../../../app/datasets/readers/zip.js';
import { bytesOf, npyBytes, text, throwsCode } from './helpers.js';

function entries(zip: Uint8Array): ZipEntry[] {
  const tailStart = Math.max(0, zip.length - END_SEARCH_BYTES);
  const dir = findCentralDirectory(zip.subarray(tailStart), tailStart, zip.subarray(0, 4));
  assert.ok(!('zip64EndOffset' in dir));
  return parseCentralDirectory(zip.subarray(dir.offset, dir.offset + dir.size), dir);
}

function extract(zip: Uint8Array, entry: ZipEntry, chunk = 5): Uint8Array {
  const start = localDataOffset(zip.subarray(entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_BYTES), entry);
  const parts: Uint8Array[] = [];
  const dec = entryDecoder(entry, (c) => parts.push(c.slice()));
  for (let p = 0; p < entry.compressedSize; p += chunk) dec.push(zip.subarray(start + p, start + Math.min(entry.compressedSize, p + chunk)));
  dec.end();
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

const a = npyBytes('<f4', [3, 2], bytesOf(Float32Array.from([1, 2, 3, 4, 5, 6])));
const b = npyBytes('<f8', [1, 2], bytesOf(Float64Array.from([7, 8])));

test('stored and deflated entries come out byte for byte', () => {
  for (const level of [0, 6] as const) {
    const zip = zipSync({ 'a.npy': a, 'b.npy': b }, { level });
    const list = entries(zip);
    assert.deepEqual(list.map((e) => e.name), ['a.npy', 'b.npy']);
    assert.equal(list[0].method, level === 0 ? 0 : 8);
    assert.deepEqual(extract(zip, list[0]), a);
    assert.deepEqual(extract(zip, list[1], 1), b);
  }
});

test('an entry streams straight into the npy reader', () => {
  const zip = zipSync({ 'x.npy': a }, { level: 9 });
  const [entry] = entries(zip);
  const npy = new NpyReader();
  const start = localDataOffset(zip.subarray(entry.localHeaderOffset), entry);
  const dec = entryDecoder(entry, (c) => npy.push(c));
  dec.push(zip.subarray(start, start + entry.compressedSize));
  dec.end();
  assert.deepEqual([...npy.end().base], [1, 2, 3, 4, 5, 6]);
});

test('not a zip: BAD_MAGIC; a cut-short zip: FILE_TRUNCATED', () => {
  const junk = text('this is not an archive at all, just some text');
  throwsCode(() => findCentralDirectory(junk, 0, junk.subarray(0, 4)), 'BAD_MAGIC', /byte offset 0/);
  const zip = zipSync({ 'a.npy': a });
  const cut = zip.subarray(0, zip.length - 30);
  throwsCode(() => findCentralDirectory(cut, 0, cut.subarray(0, 4)), 'FILE_TRUNCATED', /cut short/);
});

test('deflate data that stops early: FILE_TRUNCATED', () => {
  const zip = zipSync({ 'a.npy': new Uint8Array(5000).fill(7) }, { level: 1 });
  const [entry] = entries(zip);
  const start = localDataOffset(zip.subarray(entry.localHeaderOffset), entry);
  const dec = entryDecoder(entry, () => {});
  dec.push(zip.subarray(start, start + Math.floor(entry.compressedSize / 2)));
  throwsCode(() => dec.end(), 'FILE_TRUNCATED', /"a\.npy"/);
});

test("the npy reader's own errors pass through the decoder unchanged", () => {
  const bad = npyBytes('<f4', [1, 2], bytesOf(Float32Array.from([1, NaN])));
  const zip = zipSync({ 'a.npy': bad }, { level: 6 });
  const [entry] = entries(zip);
  const npy = new NpyReader();
  const start = localDataOffset(zip.subarray(entry.localHeaderOffset), entry);
  const dec = entryDecoder(entry, (c) => npy.push(c));
  throwsCode(() => {
    dec.push(zip.subarray(start, start + entry.compressedSize));
    dec.end();
  }, 'NON_FINITE', /row 0, column 1/);
});
