import { rmSync } from 'node:fs';
import { copyIntoEngine } from './atomic-files.js';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import { isJobOp, OP_NAMES, type IndexInfo, type OpHandler, type OpHandlers, type OpInput, type OpOutput } from '../../app/contract/operations.js';
import { isHostOp, type ForwardedOpName, type HostOpName } from '../../app/contract/worker-protocol.js';
import { checkVectors, packRows } from '../../app/datasets/vectors.js';
import { checkFactoryForData } from '../../app/indexes/factory-checks.js';
import type { Catalogue } from './catalogue-state.js';
import type { IndexDurability } from './index-durability.js';
import type { IndexWriteLogs } from './index-write-logs.js';
import { probeIndexFile } from './index-probe.js';
import { SerialLanes } from './serial-lanes.js';
import type { JobRegistry } from './job-registry.js';
import { newId } from './new-id.js';
import type { RequestChannel } from './request-channel.js';
import type { ServeControl } from './serve-control.js';

/** What the handlers work with: the host's parts. */
export interface HostParts {
  version: string;
  catalogue: Catalogue;
  jobs: JobRegistry;
  channel: RequestChannel;
  durability: IndexDurability;
  writeLogs: IndexWriteLogs;
  emit(e: EngineEvent): void;
  /** the worker died and is not back with everything reopened yet */
  degraded(): boolean;
  serve(): ServeControl;
}

/** One handler per operation, typed from the contract: the host's own, then the worker's for the rest. */
export function handlerTable(parts: HostParts): OpHandlers {
  return { ...ownHandlers(parts), ...forwardedHandlers(parts) };
}

function ownHandlers(parts: HostParts): { [K in HostOpName]: OpHandler<K> } {
  const { catalogue, jobs, channel, durability, emit } = parts;
  /** builds still running, by index id, so that dropping the index cancels its build */
  const buildJobs = new Map<string, string>();
  const opens = new SerialLanes();
  const changed = () => {
    catalogue.persist();
    emit({ type: 'catalogue' });
  };

  /** After a build whose index was deleted meanwhile: the worker forgets it and its file goes. */
  const discardDropped = async (id: string): Promise<never> => {
    await channel.call('dropIndex', { id });
    rmSync(catalogue.ownPath(id), { force: true });
    throw new EngineError('CANCELLED', 'the index was deleted while it was being built');
  };

  const buildIndex = async (spec: OpInput<'buildIndex'>): Promise<OpOutput<'buildIndex'>> => {
    const ds = catalogue.dataset(spec.dataset);
    // fail fast: a factory faiss refuses is a bad request, not a failed job
    const warnings = checkFactoryForData(spec.factory, ds.n, ds.dim);
    await channel.call('checkIndexSpec', { dim: ds.dim, factory: spec.factory, metric: spec.metric });
    const id = newId('ix');
    const savePath = catalogue.ownPath(id);
    const info: IndexInfo = {
      id,
      name: spec.name ?? `${spec.factory} ${spec.metric} on ${ds.name}`,
      dataset: ds.id,
      factory: spec.factory,
      metric: spec.metric,
      dim: ds.dim,
      ntotal: 0,
      status: 'building',
      memory_bytes: 0,
      train_ms: 0,
      add_ms: 0,
      ...(warnings.length ? { warnings } : {}),
    };
    catalogue.indexes.set(id, info);
    emit({ type: 'catalogue' });
    const started = jobs.start(
      'buildIndex',
      async (p, r) => {
        const built = await channel.call('buildIndex', { id, spec, savePath }, p, r);
        if (!catalogue.indexes.has(id)) return discardDropped(id);
        const ready: IndexInfo = { ...info, ...built, status: 'ready', path: savePath };
        catalogue.indexes.set(id, ready);
        return ready;
      },
      () => {
        buildJobs.delete(id);
        changed();
      },
      (error) => {
        buildJobs.delete(id);
        // a deleted index stays deleted, however its build ended
        if (error.code === 'CANCELLED') catalogue.indexes.delete(id);
        else if (catalogue.indexes.has(id)) catalogue.indexes.set(id, { ...info, status: 'failed', error });
        emit({ type: 'catalogue' });
      },
    );
    buildJobs.set(id, started.job);
    return { ...started, index: id };
  };

  return {
    health: async () => ({ status: parts.degraded() ? 'degraded' : 'ok', version: parts.version }),
    listDatasets: async () => [...catalogue.datasets.values()],
    openDataset: async ({ source, name }) => {
      const id = newId('ds');
      const label = name ?? (source.kind === 'file' ? path.basename(source.path) : source.generator);
      // one open at a time, each joining the catalogue before the next starts: two opens side by side
      // would each be measured against the whole of what the budget has left
      return jobs.start('openDataset', (p, r) =>
        opens.run('open', async () => {
          const info = await channel.call('openDataset', { id, name: label, source, limits: catalogue.memoryLimits() }, p, r);
          catalogue.datasets.set(id, info);
          changed();
          return info;
        }),
      );
    },
    listIndexes: async () => [...catalogue.indexes.values()],
    getIndex: async ({ id }) => catalogue.index(id),
    buildIndex,
    dropIndex: async ({ id }) => {
      catalogue.index(id);
      const build = buildJobs.get(id);
      if (build) jobs.cancel(build);
      return durability.lanes.run(id, async () => {
        catalogue.index(id);
        await channel.call('dropIndex', { id });
        catalogue.indexes.delete(id);
        durability.forget(id);
        catalogue.persist();
        await parts.writeLogs.remove(id);
        rmSync(catalogue.ownPath(id), { force: true });
        emit({ type: 'catalogue' });
        return { ok: true as const };
      });
    },
    search: async (s) => channel.call('search', { ...s, dataset: catalogue.readyIndex(s.index).dataset }),
    rangeSearch: async (s) => channel.call('rangeSearch', { ...s, dataset: catalogue.readyIndex(s.index).dataset }),
    project: async (p) => {
      catalogue.dataset(p.dataset);
      return jobs.start('project', (prog, r) => channel.call('project', p, prog, r));
    },
    explain: async (e) => {
      const ix = catalogue.readyIndex(e.index);
      return channel.call('explain', { ...e, dataset: ix.dataset, factory: ix.factory });
    },
    ivfAssignment: async (a) => {
      catalogue.readyIndex(a.index);
      return channel.call('ivfAssignment', a);
    },
    reconstruct: async (r) => {
      catalogue.readyIndex(r.index);
      return channel.call('reconstruct', r);
    },
    loadIndex: async (req) => {
      const id = newId('ix');
      // The worker only ever opens the engine's own copy: the user's file can change or vanish after
      // it was checked (or between a check and a restart's reopening), and writes must land in a file
      // no one else has.
      const file = catalogue.ownPath(id);
      await copyIntoEngine(req.path, file);
      let loaded;
      try {
        // a crafted file would crash or bloat the worker: a throwaway process opens it first
        await probeIndexFile(file);
        loaded = await channel.call('loadIndex', { id, path: file, metric: req.metric });
      } catch (err) {
        rmSync(file, { force: true });
        throw err;
      }
      const info: IndexInfo = {
        id,
        name: req.name ?? path.basename(req.path),
        dataset: '',
        factory: loaded.className,
        metric: loaded.metric,
        dim: loaded.dim,
        ntotal: loaded.ntotal,
        status: 'ready',
        memory_bytes: loaded.memory_bytes,
        is_trained: loaded.is_trained,
        train_ms: 0,
        add_ms: 0,
        path: file,
      };
      catalogue.indexes.set(id, info);
      changed();
      return info;
    },
    // a lab index joins the catalogue, saved like a built one, so the explore views can search it
    keepLabIndex: async (req) => {
      const id = newId('ix');
      const kept = await channel.call('keepLabIndex', { ...req, id, savePath: catalogue.ownPath(id) });
      const { spec, ...facts } = kept;
      const ds = catalogue.dataset(spec.dataset);
      const info: IndexInfo = { id, name: `lab: ${spec.factory} on ${ds.name}`, ...spec, ...facts, status: 'ready', path: catalogue.ownPath(id) };
      catalogue.indexes.set(id, info);
      changed();
      return info;
    },
    saveIndex: async ({ index, path: target }) => {
      const ix = catalogue.readyIndex(index);
      if (!target) {
        await durability.save(ix.id);
        return { path: catalogue.ownPath(ix.id) };
      }
      await channel.call('saveIndex', { id: ix.id, path: target });
      return { path: target };
    },
    addVectors: async (a) => {
      const ix = catalogue.readyIndex(a.index);
      const vectors = a.vectors instanceof Float32Array ? checkVectors(a.vectors, ix.dim) : packRows(a.vectors, ix.dim);
      // refused before it is logged: a record the index cannot take would only be voided
      if (a.ids && a.ids.length * ix.dim !== vectors.length) throw new EngineError('BAD_REQUEST', `${a.ids.length} ids for ${vectors.length / ix.dim} vectors`);
      const { ntotal } = await durability.write(ix.id, { kind: 'add', dim: ix.dim, vectors, ids: a.ids ? Float64Array.from(a.ids) : undefined });
      return { ntotal };
    },
    removeVectors: async (r) => {
      const ix = catalogue.readyIndex(r.index);
      const { removed = 0, ntotal } = await durability.write(ix.id, { kind: 'remove', ids: Float64Array.from(r.ids) });
      return { removed, ntotal };
    },
    getJob: async ({ id }) => jobs.info(id),
    cancelJob: async ({ id }) => jobs.cancel(id),
    jobResult: async ({ id }) => jobs.result(id),
    serveStatus: async () => parts.serve().status(),
    setServe: async ({ on }) => parts.serve().setOn(on),
  };
}

/**
 * Operations with no bookkeeping in the host go to the worker handler of the same name: calls
 * directly, jobs wrapped as jobs. New explore and lab operations need only a worker handler.
 */
function forwardedHandlers({ jobs, channel }: HostParts): { [K in ForwardedOpName]: OpHandler<K> } {
  const table: Partial<Record<ForwardedOpName, (input: never) => Promise<unknown>>> = {};
  for (const op of OP_NAMES) {
    if (isHostOp(op)) continue;
    table[op] = (input: never) => (isJobOp(op) ? Promise.resolve(jobs.start(op, (p, r) => channel.call(op, input, p, r))) : channel.call(op, input));
  }
  // filled from the contract's list above, one entry per forwarded operation
  return table as { [K in ForwardedOpName]: OpHandler<K> };
}
