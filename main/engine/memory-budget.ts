import os from 'node:os';
import { parseByteSize } from '../../app/datasets/byte-sizes.js';

/**
 * The dataset memory budget: FAISS_EXPLORER_MEMORY_BUDGET when set, else half the machine's
 * memory (room for the datasets and for the indexes built on them).
 */
export function memoryBudgetFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.FAISS_EXPLORER_MEMORY_BUDGET;
  if (text === undefined || text === '') return Math.floor(os.totalmem() / 2);
  const bytes = parseByteSize(text);
  if (bytes === null) throw new Error(`FAISS_EXPLORER_MEMORY_BUDGET="${text}" is not a size (e.g. 8G, 512M)`);
  return bytes;
}
