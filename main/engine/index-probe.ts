import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import { probePath } from './native-files.js';
import { workerEnv } from './worker-env.js';

/** What the probe found in a file it could open, check and search. */
export interface ProbedIndex {
  className: string;
  d: number;
  ntotal: number;
  metric: 'l2' | 'ip';
}

/** The probe's own libraries take ~64 MiB of address space; an index takes about its file's size. */
const BASE_MEMORY = 256 * 2 ** 20;
const MEMORY_PER_FILE_BYTE = 3;
const BASE_TIMEOUT_MS = 30_000;
const TIMEOUT_MS_PER_GIB = 30_000;

function refused(file: string, why: string): EngineError {
  return new EngineError('BAD_FILE', `${path.basename(file)} was not loaded: ${why}`);
}

interface ProbeAnswer {
  ok: boolean;
  reason?: 'memory' | 'read' | 'inconsistent' | 'search';
  error?: string;
  className?: string;
  d?: number;
  ntotal?: number;
  metric?: 'l2' | 'ip';
}

/** Turns everything the probe can do (answer, crash, hang, print garbage) into facts or a BAD_FILE. */
export function probeOutcome(file: string, size: number, stdout: string, failure: { signal: string | null; timedOut: boolean; code: number | null } | null): ProbedIndex {
  if (failure?.timedOut) throw refused(file, 'checking it took too long (a crafted or damaged file)');
  if (failure?.signal) throw refused(file, `reading it crashed a test process (${failure.signal}): the file is damaged or crafted`);
  let answer: ProbeAnswer;
  try {
    answer = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeAnswer;
  } catch {
    throw refused(file, `the checker gave no answer (exit code ${failure?.code ?? 0})`);
  }
  if (!answer.ok) {
    if (answer.reason === 'memory') throw refused(file, `it claims more memory than its ${size.toLocaleString('en-US')} bytes can hold`);
    if (answer.reason === 'read') throw refused(file, `it is not a faiss index faiss can read: ${answer.error ?? ''}`);
    if (answer.reason === 'inconsistent') throw refused(file, `it is inconsistent: ${answer.error ?? ''}`);
    throw refused(file, `a trial search failed: ${answer.error ?? ''}`);
  }
  const { className, d, ntotal, metric } = answer;
  if (typeof className !== 'string' || !Number.isInteger(d) || !Number.isInteger(ntotal) || (metric !== 'l2' && metric !== 'ip')) {
    throw refused(file, 'the checker answered without the facts it owes');
  }
  return { className, d: d as number, ntotal: ntotal as number, metric };
}

/**
 * Opens an index file in a throwaway process with a memory cap before the worker loads it:
 * faiss trusts what a file says (entry points, neighbour ids, sizes), so a crafted file could
 * crash the worker or take gigabytes from it. A C++ program rather than a Node child, because
 * V8 reserves far more address space than RLIMIT_AS would leave it.
 */
export function probeIndexFile(file: string): Promise<ProbedIndex> {
  const probe = probePath();
  if (!existsSync(probe)) return Promise.reject(new EngineError('NOT_SUPPORTED', `the index file checker ${probe} is not built; run "npm run build:native"`));
  const size = statSync(file).size;
  const memory = BASE_MEMORY + MEMORY_PER_FILE_BYTE * size;
  const timeout = BASE_TIMEOUT_MS + Math.ceil((TIMEOUT_MS_PER_GIB * size) / 2 ** 30);
  const env = { ...workerEnv(), OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  return new Promise((resolve, reject) => {
    execFile(probe, [file, String(memory)], { env, timeout, killSignal: 'SIGKILL', maxBuffer: 1 << 16 }, (err, stdout) => {
      const failure = err ? { signal: err.signal ?? null, timedOut: err.killed === true, code: typeof err.code === 'number' ? err.code : null } : null;
      try {
        resolve(probeOutcome(file, size, stdout, failure));
      } catch (e) {
        reject(e);
      }
    });
  });
}
