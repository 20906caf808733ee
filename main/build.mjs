// Bundles the Node-side entry points with esbuild (the config is in build-node.mjs).
import { buildNode } from './build-node.mjs';

await buildNode();
