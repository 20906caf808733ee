import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { LabConfig } from '../../../../app/contract/lab.js';
import { checkFactoryForData } from '../../../../app/indexes/factory-checks.js';
import { LAB_PRESETS, defaultSweep, labConfig, parseSweep, pqSplit, sweepParam } from '../../../../app/indexes/lab-configs.js';
import { suggestedNlist } from '../../../../app/indexes/nlist-rule.js';

describe('lab configurations', () => {
  it('sweeps nprobe for IVF (whatever its quantizer), efSearch for HNSW, nothing for Flat or PQ', () => {
    assert.equal(sweepParam('IVF256,Flat'), 'nprobe');
    assert.equal(sweepParam('OPQ16,IVF256_HNSW32,PQ16'), 'nprobe');
    assert.equal(sweepParam('HNSW32'), 'efSearch');
    assert.equal(sweepParam('Flat'), null);
    assert.equal(sweepParam('PQ16'), null);
  });

  it('sweeps nprobe in powers of two up to every list, and efSearch from k up', () => {
    assert.deepEqual(defaultSweep('IVF64,Flat', 10), [1, 2, 4, 8, 16, 32, 64]);
    assert.deepEqual(defaultSweep('IVF100,Flat', 10), [1, 2, 4, 8, 16, 32, 64, 100]);
    assert.equal(defaultSweep('IVF65536,Flat', 10).length, 12);
    assert.deepEqual(defaultSweep('HNSW32', 10), [10, 16, 32, 64, 128, 256, 512]);
    assert.deepEqual(defaultSweep('HNSW32', 100), [100, 128, 256, 512]);
    assert.deepEqual(defaultSweep('Flat', 10), []);
  });

  it('makes a config from a guided choice or a factory string, and refuses garbage', () => {
    assert.deepEqual(labConfig({ kind: 'ivfflat', params: { nlist: 128 } }, 10), { label: 'IVF128,Flat', factory: 'IVF128,Flat', param: 'nprobe', sweep: [1, 2, 4, 8, 16, 32, 64, 128] });
    const hnsw = labConfig({ kind: 'hnsw', params: { M: 16, efConstruction: 80 } }, 10);
    assert.equal(hnsw.efConstruction, 80);
    assert.equal(hnsw.label, 'HNSW16 efC=80');
    assert.equal(labConfig({ kind: 'hnsw', params: { M: 16 } }, 10).efConstruction, undefined);
    assert.equal(labConfig(' PQ8 ', 10).factory, 'PQ8');
    assert.throws(() => labConfig('IVF(', 10), { code: 'BAD_FACTORY' });
  });

  it('reads sweep values as typed, sorted and without repeats', () => {
    assert.deepEqual(parseSweep('16, 4;4 1'), [1, 4, 16]);
    assert.equal(parseSweep('1, 2.5'), null);
    assert.equal(parseSweep('0'), null);
    assert.deepEqual(parseSweep(''), []);
  });

  it('suggests an nlist near 4·√n that k-means can still train, and PQ splits that divide the dimension', () => {
    assert.equal(suggestedNlist(100_000), 1024);
    assert.equal(suggestedNlist(5_000), 128);
    assert.equal(suggestedNlist(20), 1);
    // the guided default: √n at any n, not a fixed 256
    assert.equal(suggestedNlist(1_000_000, 1), 1024);
    assert.equal(suggestedNlist(100_000, 1), 256);
    assert.equal(suggestedNlist(10_000_000, 1), 4096);
    assert.equal(pqSplit(64, 16), 16);
    assert.equal(pqSplit(96, 24), 24);
    assert.equal(pqSplit(100, 24), 20);
    assert.equal(pqSplit(7, 3), 1);
  });

  it('has presets, each with a lesson, whose configs are valid and buildable on the tutorial set and a small one', () => {
    assert.deepEqual(LAB_PRESETS.map((p) => p.id), ['families', 'nprobe', 'compression']);
    for (const preset of LAB_PRESETS) {
      assert.match(preset.lesson, /\.$/);
      for (const data of [{ n: 100_000, dim: 64 }, { n: 5_000, dim: 32 }]) {
        const configs = preset.configs(data, 10);
        assert.ok(configs.length >= 2);
        for (const c of configs) {
          assert.ok(Value.Check(LabConfig, c), JSON.stringify(c));
          assert.doesNotThrow(() => checkFactoryForData(c.factory, data.n, data.dim), c.factory);
        }
      }
    }
    const families = LAB_PRESETS[0].configs({ n: 100_000, dim: 64 }, 10).map((c) => c.factory);
    assert.deepEqual(families, ['Flat', 'IVF1024,Flat', 'HNSW32', 'IVF1024,PQ16x8']);
  });
});
