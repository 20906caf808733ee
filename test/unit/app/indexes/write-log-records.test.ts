import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, decodeLog, encodeHeader, encodeVoid, encodeWrite, HEADER_BYTES, type LoggedWrite } from '../../../../app/indexes/write-log-records.js';

const base = { ino: 123456789012345n, size: 4096n };
const SALT = 0x9e3779b9;
const add: LoggedWrite = { kind: 'add', dim: 3, vectors: new Float32Array([1, 2, 3, 4, 5, 6]) };
const addIds: LoggedWrite = { kind: 'add', dim: 2, vectors: new Float32Array([0.5, -1]), ids: new Float64Array([2 ** 40]) };
const remove: LoggedWrite = { kind: 'remove', ids: new Float64Array([7, 9]) };

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
const log = (...writes: LoggedWrite[]) => concat([encodeHeader(base, SALT), ...writes.map((w) => encodeWrite(w, SALT))]);
const ascii = (s: string) => new TextEncoder().encode(s);

test('crc32 is the zlib one, and continues from the CRC of what came before at any split', () => {
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  const fox = ascii('The quick brown fox jumps over the lazy dog');
  assert.equal(crc32(fox), 0x414fa339);
  assert.equal(crc32(new Uint8Array(0)), 0);
  for (let cut = 0; cut <= fox.length; cut++) assert.equal(crc32(fox.subarray(cut), crc32(fox.subarray(0, cut))), 0x414fa339, `split at ${cut}`);
});

test('records read back as written, with their base and salt', () => {
  const bytes = log(add, addIds, remove);
  const d = decodeLog(bytes);
  assert.deepEqual(d.base, base);
  assert.equal(d.salt, SALT);
  assert.equal(d.validBytes, bytes.length);
  assert.equal(d.torn, false);
  assert.deepEqual(d.writes, [add, addIds, remove]);
});

test('records read back from a Buffer that is a view into a larger, unaligned pool (what readFile gives)', () => {
  const bytes = log(add, addIds, remove);
  const pooled = Buffer.concat([Buffer.alloc(3), Buffer.from(bytes), Buffer.alloc(5)]).subarray(3, 3 + bytes.length);
  assert.deepEqual(decodeLog(pooled).writes, [add, addIds, remove]);
});

test('a void record takes back the record before it, and only that one', () => {
  const bytes = concat([log(add, remove), encodeVoid(SALT), encodeWrite(addIds, SALT)]);
  assert.deepEqual(decodeLog(bytes).writes, [add, addIds]);
});

test('zeros written ahead end the log cleanly; anything else after the last record is a torn one', () => {
  const bytes = log(add);
  const ahead = decodeLog(concat([bytes, new Uint8Array(4096)]));
  assert.deepEqual([ahead.writes, ahead.validBytes, ahead.torn], [[add], bytes.length, false]);
  const torn = decodeLog(concat([bytes, encodeWrite(remove, SALT).subarray(0, 20), new Uint8Array(100)]));
  assert.deepEqual([torn.writes, torn.validBytes, torn.torn], [[add], bytes.length, true]);
});

test('a torn last record is dropped at every cut, the records before it kept', () => {
  const whole = log(add, remove);
  const firstEnd = HEADER_BYTES + encodeWrite(add, SALT).length;
  for (let cut = firstEnd + 1; cut < whole.length; cut++) {
    const d = decodeLog(whole.subarray(0, cut));
    assert.deepEqual(d.writes, [add], `cut at ${cut}`);
    assert.equal(d.validBytes, firstEnd);
    assert.equal(d.torn, true);
  }
});

test('a flipped byte in a record ends the log there (its checksum fails)', () => {
  const bytes = log(add, remove).slice();
  bytes[bytes.length - 3] ^= 0x40;
  const d = decodeLog(bytes);
  assert.deepEqual(d.writes, [add]);
});

test('records of the log before a restart, left in the reused space, are not read under the new salt', () => {
  const old = log(add, remove);
  const reused = old.slice();
  reused.set(encodeHeader(base, SALT + 1), 0);
  const d = decodeLog(reused);
  assert.deepEqual(d.writes, []);
  assert.equal(d.validBytes, HEADER_BYTES);
});

test('a log written by version 1 (no salt, CRC at byte 24) is still read', () => {
  const header = new Uint8Array(HEADER_BYTES);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x4c575846, true);
  v.setUint32(4, 1, true);
  v.setBigUint64(8, base.ino, true);
  v.setBigUint64(16, base.size, true);
  v.setUint32(24, crc32(header.subarray(0, 24)), true);
  const d = decodeLog(concat([header, encodeWrite(add, 0), encodeWrite(remove, 0)]));
  assert.deepEqual([d.base, d.salt, d.writes], [base, 0, [add, remove]]);
});

test('a missing or torn header means an empty log', () => {
  assert.equal(decodeLog(new Uint8Array(0)).base, null);
  const bytes = log(add);
  assert.equal(decodeLog(bytes.subarray(0, HEADER_BYTES - 1)).base, null);
  const flipped = bytes.slice();
  flipped[9] ^= 1;
  assert.deepEqual(decodeLog(flipped), { base: null, salt: 0, writes: [], validBytes: 0, torn: true });
});
