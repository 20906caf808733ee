import { EngineError } from '../../contract/errors.js';
import { formatBytes } from '../byte-sizes.js';
import { fileError, type Place } from './place.js';

/**
 * A file's header says how much data follows; a crafted one says gigabytes in a few bytes. Each
 * claim is checked against the bytes the file really has, and the vectors it would make against
 * the dataset memory budget, before anything is allocated.
 */

/** deflate codes a 258-byte match in at least two bits: no stream inflates more than ~1032-fold. */
export const DEFLATE_MAX_RATIO = 1032;

export interface ReadLimits {
  /** bytes of vectors this read may still take: the budget less the datasets already loaded */
  memoryLeft: number;
  /** the whole dataset memory budget, for the message */
  memoryBudget: number;
}

/** `claimed` bytes of data must be among the `available` ones the file (or archive entry) really holds. */
export function checkDataClaim(what: string, claimed: number, available: number, place: Place = {}): void {
  if (!Number.isSafeInteger(claimed) || claimed > available) {
    const size = Number.isFinite(claimed) ? `${claimed.toLocaleString('en-US')} bytes` : 'more bytes than can be counted';
    throw fileError('FILE_TRUNCATED', `${what} claims ${size} of data; the file has ${available.toLocaleString('en-US')}`, place);
  }
}

/** `elements` float32 values must fit in what the dataset memory budget has left. */
export function checkMemoryClaim(what: string, elements: number, limits: ReadLimits | undefined): void {
  const bytes = elements * 4;
  if (!limits || bytes <= limits.memoryLeft) return;
  throw new EngineError(
    'MEMORY_BUDGET',
    `${what} needs ${formatBytes(bytes)} of memory; the dataset memory budget has ${formatBytes(Math.max(0, limits.memoryLeft))} left of ${formatBytes(limits.memoryBudget)} ` +
      '(close datasets, or raise it with --memory-budget SIZE or FAISS_EXPLORER_MEMORY_BUDGET)',
  );
}
