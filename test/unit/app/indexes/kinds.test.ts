import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultChoice, factoryString, INDEX_KINDS } from '../../../../app/indexes/kinds.js';
import { searchParamString } from '../../../../app/indexes/search-params.js';

test('guided choices map to faiss factory strings', () => {
  assert.equal(factoryString({ kind: 'flat' }), 'Flat');
  assert.equal(factoryString({ kind: 'ivfflat', nlist: 100 }), 'IVF100,Flat');
  assert.equal(factoryString({ kind: 'hnsw', M: 16 }), 'HNSW16');
  assert.equal(factoryString({ kind: 'factory', factory: ' OPQ16_64,IVF256,PQ16x8 ' }), 'OPQ16_64,IVF256,PQ16x8');
  for (const k of INDEX_KINDS) assert.ok(factoryString(defaultChoice(k.kind)).length > 0);
});

test('out-of-range parameters and garbage factory strings are refused with codes', () => {
  assert.throws(() => factoryString({ kind: 'ivfflat', nlist: 0 }), { code: 'BAD_PARAM' });
  assert.throws(() => factoryString({ kind: 'hnsw', M: 2.5 }), { code: 'BAD_PARAM' });
  assert.throws(() => factoryString({ kind: 'factory', factory: 'Flat; rm -rf /' }), { code: 'BAD_FACTORY' });
  assert.throws(() => factoryString({ kind: 'factory', factory: '' }), { code: 'BAD_FACTORY' });
});

test('search parameters become a ParameterSpace string', () => {
  assert.equal(searchParamString(undefined), '');
  assert.equal(searchParamString({ nprobe: 16, efSearch: 64 }), 'nprobe=16,efSearch=64');
  assert.equal(searchParamString({ efSearch: undefined, nprobe: 2 }), 'nprobe=2');
});
