import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOptions, factoryString, INDEX_KINDS } from '../../../../app/indexes/kinds.js';
import { searchParamString } from '../../../../app/indexes/search-params.js';

test('guided choices map to faiss factory strings', () => {
  assert.equal(factoryString({ kind: 'flat' }), 'Flat');
  assert.equal(factoryString({ kind: 'ivfflat', params: { nlist: 100 } }), 'IVF100,Flat');
  assert.equal(factoryString({ kind: 'ivfpq', params: { nlist: 64, m: 8, nbits: 6 } }), 'IVF64,PQ8x6');
  assert.equal(factoryString({ kind: 'ivfsq8', params: { nlist: 10 } }), 'IVF10,SQ8');
  assert.equal(factoryString({ kind: 'hnsw', params: { M: 16 } }), 'HNSW16');
  assert.equal(factoryString({ kind: 'pq', params: { m: 4 } }), 'PQ4x8');
  assert.equal(factoryString({ kind: 'opqivfpq', params: { m: 16, nlist: 256 } }), 'OPQ16,IVF256,PQ16');
  assert.equal(factoryString({ kind: 'factory', factory: ' OPQ16_64,IVF256,PQ16x8 ' }), 'OPQ16_64,IVF256,PQ16x8');
  for (const k of INDEX_KINDS.filter((k) => k.kind !== 'factory')) assert.ok(factoryString({ kind: k.kind }).length > 0, k.kind);
});

test('out-of-range parameters and garbage factory strings are refused with codes', () => {
  assert.throws(() => factoryString({ kind: 'ivfflat', params: { nlist: 0 } }), { code: 'BAD_PARAM' });
  assert.throws(() => factoryString({ kind: 'hnsw', params: { M: 2.5 } }), { code: 'BAD_PARAM' });
  assert.throws(() => factoryString({ kind: 'pq', params: { nbits: 16 } }), { code: 'BAD_PARAM' });
  assert.throws(() => factoryString({ kind: 'factory', factory: 'Flat; rm -rf /' }), { code: 'BAD_FACTORY' });
  assert.throws(() => factoryString({ kind: 'factory', factory: '' }), { code: 'BAD_FACTORY' });
});

test('efConstruction travels beside the factory string', () => {
  assert.deepEqual(buildOptions({ kind: 'hnsw', params: { efConstruction: 80 } }), { efConstruction: 80 });
  assert.deepEqual(buildOptions({ kind: 'ivfflat' }), {});
  assert.throws(() => buildOptions({ kind: 'hnsw', params: { efConstruction: 2 } }), { code: 'BAD_PARAM' });
});

test('search parameters become a ParameterSpace string', () => {
  assert.equal(searchParamString(undefined), '');
  assert.equal(searchParamString({ nprobe: 16, efSearch: 64 }), 'nprobe=16,efSearch=64');
  assert.equal(searchParamString({ efSearch: undefined, nprobe: 2 }), 'nprobe=2');
});
