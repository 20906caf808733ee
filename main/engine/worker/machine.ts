import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { LabRun } from '../../../app/contract/lab.js';

/** The machine a lab run was measured on: figures mean little without it. */
export function machineFacts(): LabRun['machine'] {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}

let version: string | null = null;

/**
 * The faiss version the binding was compiled against. The binding has no version call, so this
 * reads the FAISS_VERSION_* macros from the headers native/build.mjs compiled with.
 */
export function faissVersion(): string {
  if (version !== null) return version;
  try {
    const header = readFileSync(process.env.FAISS_INCLUDE_INDEX_H ?? '/usr/include/faiss/Index.h', 'utf8');
    const part = (name: string) => new RegExp(`#define FAISS_VERSION_${name} (\\d+)`).exec(header)?.[1];
    const parts = [part('MAJOR'), part('MINOR'), part('PATCH')];
    version = parts.every(Boolean) ? parts.join('.') : 'unknown';
  } catch {
    version = 'unknown';
  }
  return version;
}
