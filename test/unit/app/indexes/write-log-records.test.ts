import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, decodeLog, encodeHeader, encodeWrite, HEADER_BYTES, type LoggedWrite } from '../../../../app/indexes/write-log-records.js';

const base = { ino: 123456789012345n, size: 4096n };
const add: LoggedWrite = { kind: 'add', dim: 3, vectors: new Float32Array([1, 2, 3, 4, 5, 6]) };
const addIds: LoggedWrite = { kind: 'add', dim: 2, vectors: new Float32Array([0.5, -1]), ids: new Float64Array([2 ** 40]) };
const remove: LoggedWrite = { kind: 'remove', ids: new Float64Array([7, 9]) };

function log(...writes: LoggedWrite[]): Uint8Array {
  const parts = [encodeHeader(base), ...writes.map(encodeWrite)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

test('crc32 is the zlib one', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('records read back as written, with their base', () => {
  const bytes = log(add, addIds, remove);
  const d = decodeLog(bytes);
  assert.deepEqual(d.base, base);
  assert.equal(d.validBytes, bytes.length);
  assert.deepEqual(d.writes, [add, addIds, remove]);
});

test('records read back from a Buffer that is a view into a larger, unaligned pool (what readFile gives)', () => {
  const bytes = log(add, addIds, remove);
  const pooled = Buffer.concat([Buffer.alloc(3), Buffer.from(bytes), Buffer.alloc(5)]).subarray(3, 3 + bytes.length);
  assert.deepEqual(decodeLog(pooled).writes, [add, addIds, remove]);
});

test('a torn last record is dropped at every cut, the records before it kept', () => {
  const whole = log(add, remove);
  const firstEnd = HEADER_BYTES + encodeWrite(add).length;
  for (let cut = firstEnd; cut < whole.length; cut++) {
    const d = decodeLog(whole.subarray(0, cut));
    assert.deepEqual(d.writes, [add], `cut at ${cut}`);
    assert.equal(d.validBytes, firstEnd);
  }
});

test('a flipped byte in a record ends the log there (its checksum fails)', () => {
  const bytes = log(add, remove).slice();
  bytes[bytes.length - 3] ^= 0x40;
  const d = decodeLog(bytes);
  assert.deepEqual(d.writes, [add]);
});

test('a missing or torn header means an empty log', () => {
  assert.equal(decodeLog(new Uint8Array(0)).base, null);
  const bytes = log(add);
  assert.equal(decodeLog(bytes.subarray(0, HEADER_BYTES - 1)).base, null);
  const flipped = bytes.slice();
  flipped[9] ^= 1;
  assert.deepEqual(decodeLog(flipped), { base: null, writes: [], validBytes: 0 });
});
