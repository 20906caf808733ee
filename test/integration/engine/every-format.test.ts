import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo, IndexInfo, SearchResult } from '../../../app/contract/operations.js';
import { writeParquet } from '../../unit/app/datasets/parquet-fixtures.js';
import { startEngine, jobEnd, python } from '../../helpers/engine.js';

// Every format, end to end: a file the test writes, opened by the real worker, indexed and searched.
const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-formats-'));
const ctx = await startEngine({ defaults: [] });
after(() => ctx.stop());

const N = 40;
const D = 4;
const row = (i: number) => Array.from({ length: D }, (_, j) => i * 4 + j + 1);
const rows = Array.from({ length: N }, (_, i) => row(i));

function vecs(kind: 'f' | 'i' | 'b'): Buffer {
  const width = kind === 'b' ? 1 : 4;
  const out = Buffer.alloc(N * (4 + D * width));
  rows.forEach((r, i) => {
    const at = i * (4 + D * width);
    out.writeInt32LE(D, at);
    r.forEach((v, j) => {
      if (kind === 'f') out.writeFloatLE(v, at + 4 + j * 4);
      else if (kind === 'i') out.writeInt32LE(v, at + 4 + j * 4);
      else out.writeUInt8(v % 256, at + 4 + j);
    });
  });
  return out;
}

const FILES: [string, () => void, Partial<DatasetInfo>][] = [
  ['a.npy', () => python(`import sys, numpy as np; np.save(sys.argv[1], np.array(${JSON.stringify(rows)}, dtype='float64'))`, [path.join(dir, 'a.npy')]), { dtype: 'float64' }],
  ['b.npz', () => python(`import sys, numpy as np; np.savez(sys.argv[1], vecs=np.array(${JSON.stringify(rows)}, dtype='float32'))`, [path.join(dir, 'b.npz')]), {}],
  ['c.fvecs', () => writeFileSync(path.join(dir, 'c.fvecs'), vecs('f')), {}],
  ['d.ivecs', () => writeFileSync(path.join(dir, 'd.ivecs'), vecs('i')), {}],
  ['e.bvecs', () => writeFileSync(path.join(dir, 'e.bvecs'), vecs('b')), {}],
  ['f.csv', () => writeFileSync(path.join(dir, 'f.csv'), ['a,b,c,d,tag', ...rows.map((r, i) => `${r.join(',')},t${i % 3}`)].join('\n')), { metadata: [{ name: 'tag', type: 'string' }] }],
  [
    'vectors.tsv',
    () => {
      writeFileSync(path.join(dir, 'vectors.tsv'), rows.map((r) => r.join('\t')).join('\n'));
      writeFileSync(path.join(dir, 'metadata.tsv'), ['word\tfreq', ...rows.map((_, i) => `w${i}\t${i}`)].join('\n'));
    },
    { metadata: [{ name: 'word', type: 'string' }, { name: 'freq', type: 'number' }] },
  ],
  ['g.jsonl', () => writeFileSync(path.join(dir, 'g.jsonl'), rows.map((r, i) => JSON.stringify({ id: i, embedding: r })).join('\n')), {}],
  ['h.json', () => writeFileSync(path.join(dir, 'h.json'), JSON.stringify(rows.map((r) => ({ vector: r })))), {}],
  ['i.parquet', () => writeFileSync(path.join(dir, 'i.parquet'), new Uint8Array(writeParquet([{ name: 'embedding', list: 'FLOAT', data: rows }]))), {}],
  [
    'j.hdf5',
    () =>
      python(
        `import sys, h5py, numpy as np
x = np.array(${JSON.stringify(rows)}, dtype='float32')
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['distance'] = 'euclidean'
    f['train'] = x; f['test'] = x[:5]; f['neighbors'] = np.arange(5, dtype='int32').reshape(5, 1)`,
        [path.join(dir, 'j.hdf5')],
      ),
    { nq: 5, metric: 'l2', groundTruthK: 1 },
  ],
];

for (const [name, write, expected] of FILES) {
  test(`${name}: opens through the engine, builds and finds each vector as its own neighbour`, async () => {
    write();
    const { job } = (await ctx.engine.handle('openDataset', { source: { kind: 'file', path: path.join(dir, name) } })) as { job: string };
    const end = await jobEnd(ctx.events, job);
    assert.equal(end.status, 'done', JSON.stringify(end.error));
    const info = (await ctx.engine.handle('jobResult', { id: job })) as DatasetInfo;
    assert.deepEqual([info.n, info.dim], [N, D]);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(info[k as keyof DatasetInfo], v, k);
    const b = (await ctx.engine.handle('buildIndex', { dataset: info.id, factory: 'Flat', metric: 'l2' })) as { job: string };
    await jobEnd(ctx.events, b.job);
    const ix = (await ctx.engine.handle('jobResult', { id: b.job })) as IndexInfo;
    const r = (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'baseRows', rows: [0, 17, 39] }, k: 1 })) as SearchResult;
    assert.deepEqual(Array.from(r.labels), [0, 17, 39]);
  });
}
