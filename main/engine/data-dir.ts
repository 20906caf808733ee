import os from 'node:os';
import path from 'node:path';

/** Where saved indexes and the catalogue live unless the user says otherwise. */
export function defaultDataDir(): string {
  if (process.env.FAISS_EXPLORER_DATA) return path.resolve(process.env.FAISS_EXPLORER_DATA);
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'faiss-explorer');
}
