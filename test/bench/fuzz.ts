import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import { mulberry32 } from '../../app/random/mulberry32.js';
import { jobEnd, python, startEngine } from '../helpers/engine.js';
import { row, type BenchRow } from './report.js';

const FACTORY_INPUTS = 400;
const FILE_MUTATIONS_PER_SEED = 60;
const D = 32;
const BUILD_TIMEOUT_MS = 60_000;

type Engine = Awaited<ReturnType<typeof startEngine>>;
/** `failures`: the first inputs that crashed the worker or got no stable code, to reproduce them */
type Tally = { tried: number; accepted: number; refused: number; uncoded: number; crashes: number; slow: number; codes: Record<string, number>; failures: string[] };
const tally = (): Tally => ({ tried: 0, accepted: 0, refused: 0, uncoded: 0, crashes: 0, slow: 0, codes: {}, failures: [] });

function refusedWith(t: Tally, code: string, input: string, message = ''): void {
  const bad = code === 'WORKER_RESTARTED' || code === 'INTERNAL' || code === 'FAISS_ERROR';
  if (code === 'WORKER_RESTARTED') t.crashes++;
  else if (bad) t.uncoded++;
  else t.refused++;
  if (bad && t.failures.length < 10) t.failures.push(`${input}: ${code} ${message}`);
  t.codes[code] = (t.codes[code] ?? 0) + 1;
}

/** Strings from the factory grammar with edge numbers, then mutated: what a careless or hostile client sends. */
function factoryInputs(count: number, rand: () => number): string[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const num = () => String(pick([0, 1, 2, 3, 4, 7, 8, 16, 32, 33, 64, 255, 256, 257, 65536, 2 ** 31, 1e15, 99999999999999999999]));
  const codec = () => pick(['Flat', `PQ${num()}`, `PQ${num()}x${num()}`, `PQ${num()}np`, `PQ${num()}x4fs`, 'SQ4', 'SQ6', 'SQ8', 'SQfp16', 'SQ8_direct', 'LSH']);
  const parts = () => [
    ...(rand() < 0.2 ? [pick(['IDMap', 'IDMap2'])] : []),
    ...(rand() < 0.3 ? [pick([`PCA${num()}`, `PCAR${num()}`, `RR${num()}`, `OPQ${num()}`, `OPQ${num()}_${num()}`, 'L2norm'])] : []),
    ...pick([[`IVF${num()}`, codec()], [`IVF${num()}_HNSW${num()}`, codec()], [`IMI2x${num()}`, codec()], [`HNSW${num()}`], [`HNSW${num()}_${codec()}`], [codec()], [`NSG${num()}`]]),
    ...(rand() < 0.2 ? [pick(['RFlat', `Refine(${codec()})`])] : []),
  ];
  const out: string[] = [];
  while (out.length < count) {
    let s = parts().join(',');
    if (rand() < 0.3) {
      const chars = [...s];
      const at = Math.floor(rand() * (chars.length + 1));
      chars.splice(at, Math.floor(rand() * 2), pick([',', '_', 'x', '(', ')', '0', '9', ' ', '']));
      s = chars.join('');
    }
    out.push(s);
  }
  return out;
}

async function fuzzFactories(ctx: Engine, rand: () => number): Promise<Tally> {
  const t = tally();
  for (const factory of factoryInputs(FACTORY_INPUTS, rand)) {
    t.tried++;
    const pid = ctx.engine.workerPid;
    try {
      const { job, index } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory, metric: 'l2' })) as { job: string; index: string };
      const end = await jobEnd(ctx.events, job, BUILD_TIMEOUT_MS).catch(async () => {
        // a slow build is not a failure of the guards, but it would hold up every build after it
        await ctx.engine.handle('cancelJob', { id: job });
        return jobEnd(ctx.events, job);
      });
      if (end.status === 'cancelled') t.slow++;
      else if (end.status === 'done') {
        await ctx.engine.handle('search', { index, queries: { kind: 'queryRows', rows: [0, 1] }, k: 5 });
        await ctx.engine.handle('dropIndex', { id: index });
        t.accepted++;
      } else refusedWith(t, end.error?.code ?? 'INTERNAL', factory, end.error?.message);
    } catch (err) {
      refusedWith(t, err instanceof EngineError ? err.code : 'INTERNAL', factory, String(err));
    }
    if (ctx.engine.workerPid !== pid) {
      t.crashes++;
      await ctx.engine.handle('health', {}).catch(() => undefined);
    }
  }
  return t;
}

const SEEDS = `import sys, numpy as np, h5py, io, zipfile
out = sys.argv[1]; x = np.random.default_rng(2).random((200, ${D}), dtype='float32')
np.save(out + '/s.npy', x); np.savez_compressed(out + '/s.npz', x=x)
def vecs(name, arr, dt):
    with open(out + '/' + name, 'wb') as f:
        for r in arr: f.write(np.int32(len(r)).tobytes()); f.write(r.astype(dt).tobytes())
vecs('s.fvecs', x, 'float32'); vecs('s.bvecs', (x * 255).astype('uint8'), 'uint8')
np.savetxt(out + '/s.csv', x, delimiter=',', fmt='%.5f')
with open(out + '/s.jsonl', 'w') as f:
    for i, r in enumerate(x): f.write('{"id": %d, "embedding": [%s]}\\n' % (i, ','.join('%.5f' % v for v in r)))
with h5py.File(out + '/s.hdf5', 'w') as f:
    f.create_dataset('train', data=x); f.create_dataset('test', data=x[:10]); f.attrs['distance'] = 'euclidean'
`;

/** Byte flips, truncations, and header numbers swapped for huge ones, in every seed file. */
function mutations(seed: Uint8Array, rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < FILE_MUTATIONS_PER_SEED; i++) {
    const kind = i % 3;
    if (kind === 0) {
      const b = Uint8Array.from(seed);
      const at = i < 30 ? Math.floor(rand() * Math.min(seed.length, 256)) : Math.floor(rand() * seed.length);
      b[at] ^= 1 + Math.floor(rand() * 255);
      out.push(b);
    } else if (kind === 1) {
      out.push(seed.subarray(0, Math.floor(rand() * seed.length)));
    } else {
      const text = Buffer.from(seed.subarray(0, Math.min(seed.length, 512))).toString('latin1');
      const digits = [...text.matchAll(/\d+/g)];
      const b = Buffer.from(seed);
      const m = digits.length ? digits[Math.floor(rand() * digits.length)] : null;
      if (m) b.write(String(10 ** Math.min(m[0].length, 15) - 1).slice(0, m[0].length).replace(/^./, '9'), m.index!, 'latin1');
      else b.writeUInt32LE(0xffffffff, Math.floor(rand() * Math.max(1, seed.length - 4)));
      out.push(b);
    }
  }
  return out;
}

async function fuzzFiles(ctx: Engine, rand: () => number, dir: string): Promise<Record<string, Tally>> {
  python(SEEDS, [dir]);
  const byFormat: Record<string, Tally> = {};
  for (const name of readdirSync(dir).filter((f) => f.startsWith('s.'))) {
    const ext = path.extname(name);
    const t = (byFormat[ext.slice(1)] = tally());
    for (const bytes of mutations(readFileSync(path.join(dir, name)), rand)) {
      const file = path.join(dir, `m${ext}`);
      writeFileSync(file, bytes);
      t.tried++;
      const pid = ctx.engine.workerPid;
      try {
        const { job } = (await ctx.engine.handle('openDataset', { source: { kind: 'file', path: file } })) as { job: string };
        const end = await jobEnd(ctx.events, job);
        if (end.status === 'done') t.accepted++;
        else refusedWith(t, end.error?.code ?? 'INTERNAL', `${name} mutation ${t.tried}`, end.error?.message);
      } catch (err) {
        refusedWith(t, err instanceof EngineError ? err.code : 'INTERNAL', `${name} mutation ${t.tried}`, String(err));
      }
      if (ctx.engine.workerPid !== pid) t.crashes++;
    }
  }
  return byFormat;
}

/** A bounded fuzz of the factory grammar and the file readers through a real worker: crashes and uncoded errors must be 0. */
export async function run(): Promise<{ rows: BenchRow[]; factories: Tally; files: Record<string, Tally> }> {
  const ctx = await startEngine({ defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'blobs', n: 3000, dim: D, nq: 10 } }], memoryBudget: 256 << 20 });
  try {
    const rand = mulberry32(11);
    const factories = await fuzzFactories(ctx, rand);
    const files = await fuzzFiles(ctx, rand, ctx.dataDir);
    const all = Object.values(files);
    const fileTried = all.reduce((s, t) => s + t.tried, 0);
    const fileBad = all.reduce((s, t) => s + t.crashes + t.uncoded, 0);
    return {
      rows: [
        row('fuzz: factory strings crashing or uncoded', factories.crashes + factories.uncoded, factories.tried, 'inputs', `inputs tried (${factories.accepted} accepted, ${factories.refused} refused, ${factories.slow} cancelled after ${BUILD_TIMEOUT_MS / 1000} s)`, 0),
        row('fuzz: mutated data files crashing or uncoded', fileBad, fileTried, 'inputs', `inputs tried (${all.reduce((s, t) => s + t.accepted, 0)} accepted, ${all.reduce((s, t) => s + t.refused, 0)} refused)`, 0),
      ],
      factories,
      files,
    };
  } finally {
    await ctx.stop();
    rmSync(ctx.dataDir, { recursive: true, force: true });
  }
}
