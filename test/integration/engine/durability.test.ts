import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import type { IndexInfo, SearchResult } from '../../../app/contract/operations.js';
import { decodeLog, encodeWrite, HEADER_BYTES } from '../../../app/indexes/write-log-records.js';
import { readCatalogue } from '../../../main/engine/catalogue.js';
import type { EngineHost } from '../../../main/engine/engine-host.js';
import { crashingWorker, jobEnd, startEngine } from '../../helpers/engine.js';

const SMALL = [{ id: 'small', name: 'small', source: { kind: 'generate' as const, generator: 'tutorial' as const, n: 2000, nq: 10 } }];
const FAST_BACKOFF = { firstMs: 20, maxMs: 400, stableMs: 60_000 };
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'fe-durable-'));
  dirs.push(d);
  return d;
}

type Ctx = Awaited<ReturnType<typeof startEngine>>;

async function build(ctx: Ctx, factory: string, metric: 'l2' | 'ip' | 'cosine' = 'l2'): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory, metric })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'done', JSON.stringify(end.error));
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}

/** Kills the worker with SIGKILL and waits until the engine has a new one with everything reopened. */
async function killWorker(engine: EngineHost): Promise<void> {
  const pid = engine.workerPid!;
  process.kill(pid, 'SIGKILL');
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (engine.workerPid && engine.workerPid !== pid && ((await engine.handle('health', {})) as { status: string }).status === 'ok') return;
  }
}

const vector = (v: number, dim = 64) => new Array(dim).fill(v);
const getIndex = async (engine: EngineHost, id: string) => (await engine.handle('getIndex', { id })) as IndexInfo;
const nearest = async (engine: EngineHost, index: string, v: number[], k = 1) =>
  (await engine.handle('search', { index, queries: { kind: 'vectors', data: [v] }, k })) as SearchResult;

test('an add answered a moment before the worker is killed is there after the restart, ntotal with it', async () => {
  const ctx = await startEngine({ dataDir: dataDir(), defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat');
    const added = (await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(9), vector(11)] })) as { ntotal: number };
    assert.equal(added.ntotal, 2002);
    // no save rewrites the index file for a small add: only the log can have kept it
    await killWorker(ctx.engine);
    assert.equal((await getIndex(ctx.engine, ix.id)).ntotal, 2002);
    assert.deepEqual(Array.from((await nearest(ctx.engine, ix.id, vector(11))).labels), [2001]);
  } finally {
    await ctx.stop();
  }
});

test('a loaded index is the engine\'s own copy: its source replaced by garbage changes nothing before or after a restart, and adds land in the copy', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const built = await build(ctx, 'Flat');
    const source = path.join(dir, 'mine.faiss');
    await ctx.engine.handle('saveIndex', { index: built.id, path: source });
    const loaded = (await ctx.engine.handle('loadIndex', { path: source })) as IndexInfo;
    assert.equal(loaded.name, 'mine.faiss');
    assert.notEqual(loaded.path, source);
    writeFileSync(source, 'not an index any more');
    assert.equal(((await ctx.engine.handle('addVectors', { index: loaded.id, vectors: [vector(11)] })) as { ntotal: number }).ntotal, 2001);
    await killWorker(ctx.engine);
    const reopened = await getIndex(ctx.engine, loaded.id);
    assert.equal(reopened.status, 'ready', JSON.stringify(reopened.error));
    assert.equal(reopened.ntotal, 2001);
    assert.deepEqual(Array.from((await nearest(ctx.engine, loaded.id, vector(11))).labels), [2000]);
    assert.equal(readFileSync(source, 'utf8'), 'not an index any more', 'the source is never written');
  } finally {
    await ctx.stop();
  }
});

test('a remove by ids answered before a kill stays removed, and replay keeps the ids given on add', async () => {
  const ctx = await startEngine({ dataDir: dataDir(), defaults: SMALL });
  try {
    const ix = await build(ctx, 'IDMap,Flat');
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(20), vector(30)], ids: [500_000, 600_000] });
    const removed = (await ctx.engine.handle('removeVectors', { index: ix.id, ids: [600_000, 3, 4] })) as { removed: number; ntotal: number };
    assert.deepEqual(removed, { removed: 3, ntotal: 1999 });
    await killWorker(ctx.engine);
    assert.equal((await getIndex(ctx.engine, ix.id)).ntotal, 1999);
    assert.equal((await nearest(ctx.engine, ix.id, vector(20))).labels[0], 500_000);
    assert.notEqual((await nearest(ctx.engine, ix.id, vector(30))).labels[0], 600_000);
    const around3 = await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'baseRows', rows: [3] }, k: 1 });
    assert.notEqual((around3 as SearchResult).labels[0], 3, 'row 3 was removed');
  } finally {
    await ctx.stop();
  }
});

test('a cosine index replays its adds to the same normalised vectors', async () => {
  const ctx = await startEngine({ dataDir: dataDir(), defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat', 'cosine');
    const v = Array.from({ length: 64 }, (_, i) => (i % 7) - 2.5);
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [v] });
    const before = (await ctx.engine.handle('reconstruct', { index: ix.id, id: 2000 })) as { vector: Float32Array };
    await killWorker(ctx.engine);
    const afterKill = (await ctx.engine.handle('reconstruct', { index: ix.id, id: 2000 })) as { vector: Float32Array };
    assert.deepEqual(Array.from(afterKill.vector), Array.from(before.vector));
    const norm = Math.hypot(...afterKill.vector);
    assert.ok(Math.abs(norm - 1) < 1e-5, `stored once normalised, norm ${norm}`);
  } finally {
    await ctx.stop();
  }
});

test('a save folds the log into the index file and empties it; the catalogue says file + log', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat');
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(5)] });
    const wal = path.join(dir, 'indexes', `${ix.id}.wal`);
    assert.deepEqual(decodeLog(readFileSync(wal)).writes.length, 1, 'the add is in the log');
    await ctx.engine.handle('saveIndex', { index: ix.id });
    const folded = decodeLog(readFileSync(wal));
    assert.deepEqual([folded.writes, folded.validBytes], [[], HEADER_BYTES], 'only the header is left');
    assert.equal(readCatalogue(dir).indexes.find((i) => i.id === ix.id)?.ntotal, 2001);
    // a fold and a restart: nothing is doubled
    await killWorker(ctx.engine);
    assert.equal((await getIndex(ctx.engine, ix.id)).ntotal, 2001);
  } finally {
    await ctx.stop();
  }
});

test('an index deleted while it builds stays deleted: not listed, no file, not back after a restart', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  const { job, index } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory: 'HNSW32', metric: 'l2' })) as { job: string; index: string };
  assert.deepEqual(await ctx.engine.handle('dropIndex', { id: index }), { ok: true });
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'cancelled');
  const listed = (await ctx.engine.handle('listIndexes', {})) as IndexInfo[];
  assert.equal(listed.some((i) => i.id === index), false);
  assert.equal(existsSync(path.join(dir, 'indexes', `${index}.faiss`)), false);
  await ctx.engine.stop();
  const again = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    assert.equal(((await again.engine.handle('listIndexes', {})) as IndexInfo[]).some((i) => i.id === index), false);
  } finally {
    await again.stop();
  }
});

test('no write follows a link planted at a predictable name; leftovers of interrupted writes are removed at start', async () => {
  const dir = dataDir();
  const victim = path.join(dataDir(), 'victim.txt');
  writeFileSync(victim, 'untouched');
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  const ix = await build(ctx, 'Flat');
  const own = path.join(dir, 'indexes', `${ix.id}.faiss`);
  // every name the engine used to write through, for every process id it could have
  for (const pid of [process.pid, ctx.engine.workerPid!]) {
    symlinkSync(victim, `${own}.tmp-${pid}`);
    symlinkSync(victim, path.join(dir, `catalogue.json.tmp-${pid}`));
  }
  await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(3)] });
  await ctx.engine.handle('saveIndex', { index: ix.id });
  assert.equal(readFileSync(victim, 'utf8'), 'untouched');
  assert.equal(readCatalogue(dir).indexes.find((i) => i.id === ix.id)?.ntotal, 2001);
  await ctx.engine.stop();
  mkdirSync(path.join(dir, 'indexes', '.fe-tmp-Ab12Cd'));
  writeFileSync(path.join(dir, 'indexes', '.fe-tmp-Ab12Cd', `${ix.id}.faiss`), 'half');
  writeFileSync(path.join(dir, '.fe-tmp-0123456789abcdef'), '{"half');
  const again = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const leftovers = [...readdirSync(dir), ...readdirSync(path.join(dir, 'indexes'))].filter((n) => n.includes('.tmp-') || n.startsWith('.fe-tmp-'));
    assert.deepEqual(leftovers, []);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched', 'removing a link leaves its target');
    assert.equal((await getIndex(again.engine, ix.id)).ntotal, 2001);
  } finally {
    await again.stop();
  }
});

test('a worker killed ten times in a row: health says degraded, then ok, and the engine works on', async () => {
  const ctx = await startEngine({ dataDir: dataDir(), defaults: SMALL, restartBackoff: FAST_BACKOFF });
  try {
    const ix = await build(ctx, 'Flat');
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const pid = ctx.engine.workerPid;
      assert.ok(pid, `a worker is running before kill ${i + 1}`);
      process.kill(pid, 'SIGKILL');
      // the next one, as soon as it exists, before it has reopened anything
      while (ctx.engine.workerPid === pid || !ctx.engine.workerPid) {
        seen.add(((await ctx.engine.handle('health', {})) as { status: string }).status);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    assert.ok(seen.has('degraded'), `health while restarting: ${[...seen]}`);
    const t0 = Date.now();
    while (((await ctx.engine.handle('health', {})) as { status: string }).status !== 'ok') {
      assert.ok(Date.now() - t0 < 30_000, 'back to ok');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await nearest(ctx.engine, ix.id, vector(0))).n, 1);
    assert.equal((await getIndex(ctx.engine, ix.id)).status, 'ready', 'killed from outside, not quarantined');
  } finally {
    await ctx.stop();
  }
});

test('an index that crashes the worker whenever it is reopened is quarantined: listed as failed, kept so, never loaded again', async () => {
  const dir = dataDir();
  const first = await startEngine({ dataDir: dir, defaults: SMALL });
  const bad = await build(first, 'Flat');
  const good = await build(first, 'IVF8,Flat');
  await first.engine.stop();

  let loads = 0;
  const crashOnLoadingBad = crashingWorker((op, input) => {
    const hit = op === 'loadIndex' && (input as { id: string }).id === bad.id;
    if (hit) loads++;
    return hit;
  });
  const crashing = await startEngine({
    dataDir: dir,
    defaults: SMALL,
    restartBackoff: FAST_BACKOFF,
    spawnWorker: crashOnLoadingBad,
  });
  try {
    const info = await getIndex(crashing.engine, bad.id);
    assert.equal(info.status, 'failed');
    assert.equal(info.error?.code, 'QUARANTINED');
    assert.equal(loads, 2, 'crashed at two reopenings, then left alone');
    assert.equal((await getIndex(crashing.engine, good.id)).status, 'ready');
    assert.equal(((await crashing.engine.handle('health', {})) as { status: string }).status, 'ok');
    await assert.rejects(crashing.engine.handle('search', { index: bad.id, queries: { kind: 'vectors', data: [vector(0)] }, k: 1 }), (e: unknown) => e instanceof EngineError && e.code === 'INDEX_NOT_READY');
    assert.equal(readCatalogue(dir).indexes.find((i) => i.id === bad.id)?.error?.code, 'QUARANTINED');
  } finally {
    await crashing.engine.stop();
  }
  const later = await startEngine({ dataDir: dir, defaults: SMALL, spawnWorker: crashOnLoadingBad });
  try {
    assert.equal(loads, 2, 'a later start does not load it');
    assert.equal((await getIndex(later.engine, bad.id)).error?.code, 'QUARANTINED');
  } finally {
    await later.stop();
  }
});

test('an index whose calls crash the worker three times in a row is quarantined; the others keep serving', async () => {
  let target = '';
  const ctx = await startEngine({
    dataDir: dataDir(),
    defaults: SMALL,
    restartBackoff: FAST_BACKOFF,
    spawnWorker: crashingWorker((op, input) => op === 'search' && (input as { index: string }).index === target),
  });
  try {
    const bad = await build(ctx, 'Flat');
    const good = await build(ctx, 'Flat');
    target = bad.id;
    for (let i = 0; i < 3; i++) {
      await assert.rejects(nearest(ctx.engine, bad.id, vector(1)), (e: unknown) => e instanceof EngineError && e.code === 'WORKER_RESTARTED');
    }
    assert.equal((await getIndex(ctx.engine, bad.id)).error?.code, 'QUARANTINED');
    await assert.rejects(nearest(ctx.engine, bad.id, vector(1)), (e: unknown) => e instanceof EngineError && e.code === 'INDEX_NOT_READY');
    assert.equal((await nearest(ctx.engine, good.id, vector(1))).n, 1);
  } finally {
    await ctx.stop();
  }
});

test('an add the index refuses is answered with its error, voided in the log, and never replayed; writes around it are kept', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat');
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(7)] });
    // a Flat index takes no ids: faiss refuses it while its record is being written
    await assert.rejects(ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(8)], ids: [77] }), (e: unknown) => e instanceof EngineError && e.code === 'NOT_SUPPORTED');
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(9)] });
    const logged = decodeLog(readFileSync(path.join(dir, 'indexes', `${ix.id}.wal`))).writes;
    assert.deepEqual(
      logged.map((w) => (w.kind === 'add' ? w.vectors[0] : -1)),
      [7, 9],
      'the refused add is taken back by its void record',
    );
    await killWorker(ctx.engine);
    const info = await getIndex(ctx.engine, ix.id);
    assert.deepEqual([info.status, info.ntotal], ['ready', 2002]);
  } finally {
    await ctx.stop();
  }
});

test('a logged write that fails at replay (a crash fell before its void record) is skipped; the index reopens with the rest', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat');
    await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(4)] });
    // what a crash between a refused apply and its void leaves: the record, whole, at the log's end
    const wal = path.join(dir, 'indexes', `${ix.id}.wal`);
    const log = decodeLog(readFileSync(wal));
    const refused = encodeWrite({ kind: 'add', dim: 64, vectors: new Float32Array(64).fill(5), ids: new Float64Array([55]) }, log.salt);
    const fd = openSync(wal, 'r+');
    writeSync(fd, refused, 0, refused.length, log.validBytes);
    closeSync(fd);
    assert.equal(decodeLog(readFileSync(wal)).writes.length, 2);
    await killWorker(ctx.engine);
    const info = await getIndex(ctx.engine, ix.id);
    assert.deepEqual([info.status, info.ntotal], ['ready', 2001]);
    assert.equal((await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(6)] }) as { ntotal: number }).ntotal, 2002);
  } finally {
    await ctx.stop();
  }
});

test('an add in flight when the worker dies is answered WORKER_RESTARTED and not replayed: its record is voided', async () => {
  let crashNext = false;
  const ctx = await startEngine({
    dataDir: dataDir(),
    defaults: SMALL,
    restartBackoff: FAST_BACKOFF,
    spawnWorker: crashingWorker((op) => op === 'addVectors' && crashNext && !(crashNext = false)),
  });
  try {
    const ix = await build(ctx, 'Flat');
    crashNext = true;
    await assert.rejects(ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(3)] }), (e: unknown) => e instanceof EngineError && e.code === 'WORKER_RESTARTED');
    const info = await getIndex(ctx.engine, ix.id);
    assert.deepEqual([info.status, info.ntotal], ['ready', 2000], 'the unanswered add is not there');
    assert.equal((await ctx.engine.handle('addVectors', { index: ix.id, vectors: [vector(3)] }) as { ntotal: number }).ntotal, 2001);
  } finally {
    await ctx.stop();
  }
});

test('the log reuses its space once a save has emptied it: the file does not grow over repeated add-and-save rounds', async () => {
  const dir = dataDir();
  const ctx = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    const ix = await build(ctx, 'Flat');
    const wal = path.join(dir, 'indexes', `${ix.id}.wal`);
    const batch = Array.from({ length: 500 }, (_, i) => vector(i / 500));
    const sizes: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let b = 0; b < 4; b++) await ctx.engine.handle('addVectors', { index: ix.id, vectors: batch });
      sizes.push(statSync(wal).size);
      await ctx.engine.handle('saveIndex', { index: ix.id });
      sizes.push(statSync(wal).size);
    }
    assert.ok(sizes[0] >= 4 * 500 * 64 * 4, `room for a round's records: ${sizes[0]}`);
    assert.deepEqual(sizes, new Array(8).fill(sizes[0]), 'written ahead once, kept by the saves, then reused');
    await killWorker(ctx.engine);
    assert.equal((await getIndex(ctx.engine, ix.id)).ntotal, 2000 + 16 * 500, 'no record of an earlier round is read again');
  } finally {
    await ctx.stop();
  }
});

test('index files no catalogue entry names (a build that ended as the engine died) are removed at start; catalogued and foreign files stay', async () => {
  const dir = dataDir();
  const first = await startEngine({ dataDir: dir, defaults: SMALL });
  const kept = await build(first, 'Flat');
  await first.engine.handle('addVectors', { index: kept.id, vectors: [vector(2)] });
  await first.engine.stop();
  const indexes = path.join(dir, 'indexes');
  const own = readFileSync(path.join(indexes, `${kept.id}.faiss`));
  writeFileSync(path.join(indexes, 'ix-00aa11bb22.faiss'), own);
  writeFileSync(path.join(indexes, 'ix-00aa11bb22.wal'), 'a log');
  writeFileSync(path.join(indexes, 'notes.txt'), 'the user’s own');
  // an unreadable catalogue says nothing about the files: nothing is removed
  const catalogue = readFileSync(path.join(dir, 'catalogue.json'));
  writeFileSync(path.join(dir, 'catalogue.json'), '{"torn');
  await (await startEngine({ dataDir: dir, defaults: SMALL })).engine.stop();
  assert.ok(existsSync(path.join(indexes, 'ix-00aa11bb22.faiss')));
  writeFileSync(path.join(dir, 'catalogue.json'), catalogue);

  const again = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    assert.deepEqual(readdirSync(indexes).sort(), [`${kept.id}.faiss`, `${kept.id}.wal`, 'notes.txt'].sort());
    assert.equal((await getIndex(again.engine, kept.id)).ntotal, 2001);
  } finally {
    await again.stop();
  }
});

test('an index whose file cannot be reopened is listed failed but stays catalogued with its files, and is tried again at the next start', async () => {
  const dir = dataDir();
  const first = await startEngine({ dataDir: dir, defaults: SMALL });
  const ix = await build(first, 'Flat');
  await first.engine.stop();
  const file = path.join(dir, 'indexes', `${ix.id}.faiss`);
  const good = readFileSync(file);
  writeFileSync(file, 'not an index');
  const broken = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    assert.deepEqual([(await getIndex(broken.engine, ix.id)).status, (await getIndex(broken.engine, ix.id)).error?.code], ['failed', 'BAD_FILE']);
  } finally {
    await broken.engine.stop();
  }
  assert.ok(readCatalogue(dir).indexes.some((i) => i.id === ix.id));
  writeFileSync(file, good);
  const mended = await startEngine({ dataDir: dir, defaults: SMALL });
  try {
    assert.deepEqual([(await getIndex(mended.engine, ix.id)).status, (await getIndex(mended.engine, ix.id)).ntotal], ['ready', 2000]);
  } finally {
    await mended.stop();
  }
});
