import { EngineError } from '../../../app/contract/errors.js';
import type { WorkerOps } from '../../../app/contract/worker-protocol.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
import { checkVectors, packRows } from '../../../app/datasets/vectors.js';
import { getDataset, type LoadedIndex } from './state.js';

// Turning every kind of query source into float32 rows the index can search.

function rows(source: Float32Array, count: number, dim: number, wanted: number[], what: string): Float32Array {
  const out = new Float32Array(wanted.length * dim);
  wanted.forEach((r, i) => {
    if (r < 0 || r >= count) throw new EngineError('ROW_OUT_OF_RANGE', `${what} row ${r} is outside 0..${count - 1}`);
    out.set(source.subarray(r * dim, (r + 1) * dim), i * dim);
  });
  return out;
}

function queryVectors(input: WorkerOps['search']['in'] | WorkerOps['rangeSearch']['in'], ix: LoadedIndex): Float32Array {
  const q = input.queries;
  const dim = ix.dim;
  switch (q.kind) {
    case 'ids': {
      const out = new Float32Array(q.ids.length * dim);
      q.ids.forEach((id, i) => out.set(reconstruct(ix, id), i * dim));
      return out;
    }
    case 'queryRows': {
      const ds = getDataset(input.dataset);
      if (ds.nq === 0) throw new EngineError('NO_QUERY_SET', `dataset "${ds.info.name}" has no query set`);
      return rows(ds.queries, ds.nq, dim, q.rows, 'query');
    }
    case 'allQueries': {
      const ds = getDataset(input.dataset);
      if (ds.nq === 0) throw new EngineError('NO_QUERY_SET', `dataset "${ds.info.name}" has no query set`);
      return ds.queries;
    }
    case 'baseRows': {
      const ds = getDataset(input.dataset);
      return rows(ds.base, ds.n, dim, q.rows, 'base');
    }
    case 'vectors':
    case 'packed':
      return packedVectors(q.data, dim);
  }
}

/** Query vectors as the index wants them: for cosine, normalised like the base was. */
export function prepareQueries(input: WorkerOps['search']['in'] | WorkerOps['rangeSearch']['in'], ix: LoadedIndex): Float32Array {
  const x = queryVectors(input, ix);
  if (ix.metric !== 'cosine') return x;
  const copy = x.slice();
  normaliseRows(copy, ix.dim);
  return copy;
}

export function reconstruct(ix: LoadedIndex, id: number): Float32Array {
  try {
    return ix.index.reconstruct(id);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (/not found|out of range|invalid key|id/i.test(message) && id >= 0) throw new EngineError('VECTOR_NOT_FOUND', `no vector with id ${id} in the index`);
    throw new EngineError('NOT_SUPPORTED', `cannot look up vectors by id in this index: ${message}`);
  }
}

export function packedVectors(data: number[][] | Float32Array, dim: number): Float32Array {
  return data instanceof Float32Array ? checkVectors(data, dim) : packRows(data, dim);
}

/** The rows of a row-major table, gathered in the order given. */
export function rowsOf(data: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i] * dim, (rows[i] + 1) * dim), i * dim);
  return out;
}
