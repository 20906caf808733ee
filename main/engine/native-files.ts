import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds what native/build.mjs built: the faiss binding, and beside it the index file checker.
 * In a packaged app they sit unpacked beside the asar archive, because neither a native module
 * nor a program can run from inside one.
 */
export function bindingPath(): string {
  if (process.env.FAISS_EXPLORER_BINDING) return process.env.FAISS_EXPLORER_BINDING;
  const rel = path.join('native', 'build', 'Release', 'faiss_node.node');
  // __dirname is the bundle's folder; sources run as ES modules (tests, the engine host) have none
  const here = typeof __dirname === 'string' ? [path.resolve(__dirname, '..', '..', rel)] : [];
  const candidates = [...here, path.resolve(process.cwd(), rel)].map((p) =>
    p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`faiss binding not found (looked in ${candidates.join(', ')}); run "npm run build:native"`);
  return found;
}

/** The index file checker (native/probe/index-probe.cc), built beside the binding. */
export function probePath(): string {
  return path.join(path.dirname(bindingPath()), 'index_probe');
}
