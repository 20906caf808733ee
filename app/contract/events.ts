import type { ErrorValue } from './errors.js';
import type { JobStatus } from './operations.js';

/** What the engine pushes to every UI: job progress, job ends, and its own health. */
export type EngineEvent =
  | { type: 'progress'; job: string; kind: string; phase: string; done: number; total: number }
  | { type: 'job-end'; job: string; kind: string; status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>; error?: ErrorValue }
  | { type: 'engine'; state: 'restarted' | 'ready'; message: string }
  | { type: 'catalogue' };
