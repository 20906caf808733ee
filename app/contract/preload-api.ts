import type { EngineEvent } from './events.js';
import type { OpInput, OpName, OpOutput } from './operations.js';

/** The object the Electron preload exposes as `window.faissExplorer`: one method per operation. */
export type PreloadApi = { [K in OpName]: (input: OpInput<K>) => Promise<OpOutput<K>> } & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** the path on disk of a file the user picked or dropped (a sandboxed page cannot see it) */
  pathForFile(file: unknown): string;
};
export const PRELOAD_GLOBAL = 'faissExplorer';
