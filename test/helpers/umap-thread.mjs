// The layout thread's TypeScript entry, run through tsx: Node 20 applies no --import to a worker's entry file.
import { tsImport } from 'tsx/esm/api';

await tsImport('../../main/engine/worker/umap-thread.ts', import.meta.url);
