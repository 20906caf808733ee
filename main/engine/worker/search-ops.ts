import type { SearchParams, SearchResult } from '../../../app/contract/operations.js';
import { searchParamString } from '../../../app/indexes/search-params.js';
import { faissCall, getIndex, type Handlers } from './state.js';
import { prepareQueries, reconstruct } from './vectors.js';

export const searchOps: Handlers<'search' | 'rangeSearch' | 'reconstruct'> = {
  async search(input) {
    const ix = getIndex(input.index);
    const x = prepareQueries(input, ix);
    const t0 = performance.now();
    const r = faissCall('search', () => ix.index.search(x, input.k, searchParamString(input.params as SearchParams | undefined)));
    const took = performance.now() - t0;
    const result: SearchResult = {
      n: x.length / ix.dim,
      k: input.k,
      distances: r.distances,
      labels: Float64Array.from(r.labels, Number),
      took_ms: took,
      ignored_params: r.ignoredParams ?? [],
    };
    return result;
  },

  async rangeSearch(input) {
    const ix = getIndex(input.index);
    const x = prepareQueries(input, ix);
    const t0 = performance.now();
    const r = faissCall('range search', () => ix.index.rangeSearch(x, input.radius, searchParamString(input.params as SearchParams | undefined)));
    return {
      n: x.length / ix.dim,
      lims: r.lims,
      distances: r.distances,
      labels: Float64Array.from(r.labels, Number),
      took_ms: performance.now() - t0,
      ignored_params: r.ignoredParams,
    };
  },

  async reconstruct({ index, id }) {
    return { vector: reconstruct(getIndex(index), id) };
  },
};
