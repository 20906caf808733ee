import type { EXPLORE_OPERATIONS } from '../../../app/contract/explore.js';
import { diagnosticsOps } from './diagnostics-ops.js';
import { rowsOps } from './rows-ops.js';
import type { Handlers } from './state.js';
import { umapOps } from './umap-ops.js';

/** The exploration views' handlers: UMAP, diagnostics over whole datasets, and row facts. */
export const exploreOps: Handlers<keyof typeof EXPLORE_OPERATIONS> = { ...umapOps, ...diagnosticsOps, ...rowsOps };
