import type { OpName } from './operations.js';

/** The only place channel and route names are spelled. */
export const ipcChannel = (op: OpName): string => `engine:${op}`;
export const IPC_EVENT_CHANNEL = 'engine:event';
/** Electron: the path of a file the user picked or dropped, told to main so the engine may read it */
export const IPC_PICKED_FILE_CHANNEL = 'engine:picked-file';
export const HTTP_OP_PREFIX = '/api/op/';
export const httpRoute = (op: OpName): string => `${HTTP_OP_PREFIX}${op}`;
export const HTTP_EVENTS_ROUTE = '/api/events';
/** browser mode: a picked or dropped file is streamed here (`?name=`), answering `{path}` */
export const HTTP_UPLOAD_ROUTE = '/api/upload';
/** The public, versioned API for scripts (see shared/API.md). */
export const PUBLIC_API_PREFIX = '/v1/';
