import type { SearchParams } from '../contract/operations.js';

/** The per-call search parameters as a faiss ParameterSpace string ("nprobe=16,efSearch=64"). */
export function searchParamString(params: SearchParams | undefined): string {
  if (!params) return '';
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
