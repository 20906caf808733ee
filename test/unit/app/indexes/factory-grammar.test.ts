import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../../app/contract/errors.js';
import { checkFactory, parseFactory } from '../../../../app/indexes/factory-grammar.js';
import { INDEX_KINDS, factoryString } from '../../../../app/indexes/kinds.js';

const D = 64;

test('the components of a factory string are read with their numbers', () => {
  assert.deepEqual(parseFactory('IDMap2,OPQ16_64,IVF256_HNSW32,PQ16x8'), {
    idMap: 'IDMap2',
    transforms: [{ kind: 'OPQ', M: 16, dOut: 64 }],
    main: { kind: 'IVF', coarse: { kind: 'IVF', nlist: 256, hnswM: 32 }, codec: { kind: 'PQ', M: 16, nbits: 8, fastScan: false } },
    refine: null,
  });
  assert.deepEqual(parseFactory('HNSW32_PQ8').main, { kind: 'HNSW', M: 32, storage: { kind: 'PQ', M: 8, nbits: null, fastScan: false } });
  assert.deepEqual(parseFactory('L2norm,PCA32,Flat,RFlat').transforms, [{ kind: 'L2norm' }, { kind: 'PCA', dOut: 32 }]);
});

test('every string the guided choices make is accepted', () => {
  for (const k of INDEX_KINDS.filter((k) => k.kind !== 'factory')) assert.doesNotThrow(() => checkFactory(factoryString({ kind: k.kind }), D), k.kind);
  for (const f of ['Flat', 'IVF1,Flat', 'IVF16_HNSW2,SQ8', 'IMI2x4,PQ8', 'PQ64', 'PQ8x16', 'PQ8x4fs', 'IVF16,PQ8x4fsr', 'LSHrt', 'HNSW256_SQfp16', 'RR256,Flat', 'PCAWR1,Flat', 'IDMap,HNSW16', 'IVF4,PQ8np,RFlat', 'PCA32,IVF16,PQ4,Refine(PQ8x4)']) {
    assert.doesNotThrow(() => checkFactory(f, D), f);
  }
});

test('numbers faiss would crash, hang or abort on are refused with BAD_PARAM', () => {
  const refused = [
    'HNSW0', // segfault in faiss 1.7.3
    'HNSW1', // never returns: the level draw divides by log(1)
    'HNSW257',
    'HNSW99999999999999999999',
    'IVF0,Flat', // assertion abort on add
    'IVF16_HNSW0,Flat',
    'IVF2097152,Flat',
    'PQ0', // SIGFPE
    'PQ8x0',
    'PQ8x17',
    'PQ7', // 64 is not divisible by 7
    'PQ128', // more sub-vectors than dims
    'IVF16,PQ0',
    'IVF16,PQ8x9', // IVF-PQ codes are at most a byte in 1.7.3
    'HNSW8_PQ0',
    'HNSW8_PQ3',
    'OPQ0,Flat',
    'OPQ8_0,Flat',
    'OPQ7,PQ7',
    'OPQ8_257,PQ8',
    'PCA0,Flat',
    'PCA65,Flat',
    'RR257,Flat',
    'PCA16,PQ32', // PQ sees 16 dims after the PCA
    'IMI2x0,Flat',
    'IMI2x11,Flat',
    'Flat,Refine(PQ0)',
    'Flat,Refine(PQ7)',
  ];
  for (const f of refused) assert.throws(() => checkFactory(f, D), { code: 'BAD_PARAM' }, f);
  assert.throws(() => checkFactory('IMI2x4,Flat', 63), { code: 'BAD_PARAM', message: /halves/ });
});

test('malformed strings and components faiss would guess at are refused with BAD_FACTORY', () => {
  const refused = ['', ',Flat', 'Flat,', 'IVF16,,Flat', 'IVF16', 'IDMap', 'PCA16', 'PCA16,OPQ8', 'RFlat', 'Flat,RFlat,RFlat', 'HNSW8,Flat', 'IVF16,LSH', 'IVF16,HNSW8', 'Flat,Flat', 'IVF16,Flat,PQ8', 'NSG32', 'IVF16(PQ4),Flat', 'RQ4x4', 'SQ8_direct', 'PQ8x4fsr', 'HNSW8_PQ8x4', 'HNSW8_2x4', 'hnsw32', 'HNSW-1', 'HNSW+1', 'HNSW 32', 'IVF1e3,Flat', 'Flat,Refine(IVF16,Flat)', 'Refine(Flat)', 'IDMap,HNSW2,Refine(SQfp16)', 'IDMap2,Flat,RFlat', 'x'.repeat(257)];
  for (const f of refused) assert.throws(() => checkFactory(f, D), { code: 'BAD_FACTORY' }, f);
  assert.throws(() => checkFactory('Bogus32', D), { message: /"Bogus32" is not a faiss index component/ });
});

test('mutated strings only ever give a coded refusal or an accepted plan', () => {
  const seeds = ['OPQ16_64,IVF256_HNSW32,PQ16x8,Refine(SQ8)', 'IDMap2,PCA32,HNSW16_SQ8,RFlat', 'IMI2x4,PQ8x4fsr'];
  const alphabet = 'IVFPQHNSWxOPCA_,()0123456789fsrnp';
  let state = 7;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  for (let i = 0; i < 5000; i++) {
    const chars = [...seeds[next(seeds.length)]];
    for (let m = 1 + next(3); m > 0; m--) chars.splice(next(chars.length + 1), next(2), alphabet[next(alphabet.length)]);
    const f = chars.join('');
    try {
      checkFactory(f, D);
    } catch (err) {
      assert.ok(err instanceof EngineError && (err.code === 'BAD_FACTORY' || err.code === 'BAD_PARAM'), `${f}: ${String(err)}`);
    }
  }
});
