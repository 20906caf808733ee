export * from './errors.js';
export * from './operations.js';
export * from './events.js';
export * from './routes.js';
export * from './wire.js';
export * from './validate.js';
export * from './client.js';
export type * from './worker-protocol.js';
export * from './preload-api.js';
