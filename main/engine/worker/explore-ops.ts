import { diagnosticsOps } from './diagnostics-ops.js';
import { rowsOps } from './rows-ops.js';
import { umapOps } from './umap-ops.js';

/** The exploration views' handlers: UMAP, diagnostics over whole datasets, and row facts. */
export const exploreOps = { ...umapOps, ...diagnosticsOps, ...rowsOps };
