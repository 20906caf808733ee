import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFactoryForData, factoryFacts } from '../../../../app/indexes/factory-checks.js';

test('factory facts read nlist and the PQ shape', () => {
  assert.deepEqual(factoryFacts('IVF256,PQ16x8'), { nlist: 256, pqM: 16, pqBits: 8 });
  assert.deepEqual(factoryFacts('OPQ16_64,IVF1024,PQ16'), { nlist: 1024, pqM: 16, pqBits: null });
  assert.deepEqual(factoryFacts('HNSW32'), { nlist: null, pqM: null, pqBits: null });
  assert.deepEqual(factoryFacts('PQ8'), { nlist: null, pqM: 8, pqBits: null });
});

test('impossible builds are refused before work, poor ones warned about', () => {
  assert.throws(() => checkFactoryForData('PQ7', 1000, 64), { code: 'BAD_PARAM', message: /divisible by 7/ });
  assert.throws(() => checkFactoryForData('IVF4096,Flat', 1000, 64), { code: 'BAD_PARAM', message: /at least 4096/ });
  assert.throws(() => checkFactoryForData('PQ8x10', 500, 64), { code: 'BAD_PARAM' });
  assert.deepEqual(checkFactoryForData('OPQ16_64,IVF16,PQ16', 10_000, 100), []);
  const w = checkFactoryForData('IVF256,Flat', 5000, 64);
  assert.equal(w.length, 1);
  assert.match(w[0], /19 training points per list/);
  assert.deepEqual(checkFactoryForData('Flat', 10, 3), []);
});
