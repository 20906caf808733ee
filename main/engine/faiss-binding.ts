import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FaissBinding } from '../../native/index.js';
import { workerEnv } from './worker-env.js';

export type { FaissBinding, FaissIndex, HnswGraph } from '../../native/index.js';

/**
 * Finds the faiss binding built by native/build.mjs. In a packaged app it sits unpacked beside
 * the asar archive, because a native module cannot be loaded from inside one.
 */
export function bindingPath(): string {
  if (process.env.FAISS_EXPLORER_BINDING) return process.env.FAISS_EXPLORER_BINDING;
  const rel = path.join('native', 'build', 'Release', 'faiss_node.node');
  const candidates = [path.resolve(__dirname, '..', '..', rel), path.resolve(process.cwd(), rel)].map((p) =>
    p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`faiss binding not found (looked in ${candidates.join(', ')}); run "npm run build:native"`);
  return found;
}

export function loadBinding(): FaissBinding {
  // libgomp reads its settings when it loads, so they must be in place before the binding is
  Object.assign(process.env, workerEnv());
  return createRequire(__filename)(bindingPath()) as FaissBinding;
}
