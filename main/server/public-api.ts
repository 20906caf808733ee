import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EngineError, type ErrorCode } from '../../app/contract/errors.js';
import { Id, type DatasetInfo, type DatasetSource, type IndexInfo, type SearchParams } from '../../app/contract/operations.js';
import {
  V1_LIMITS,
  V1_ROUTES,
  type V1BinarySearchQuery,
  type V1Body,
  type V1Dataset,
  type V1Generate,
  type V1Index,
  type V1RouteName,
  type V1Search,
} from '../../app/contract/public-api.js';
import { check } from '../../app/contract/validate.js';
import type { EngineHost } from '../engine/engine-host.js';
import { inProcessTransport } from '../engine/in-process-transport.js';
import { createClient } from '../../app/contract/client.js';
import { IndexLanes, type BatchTuning, type Query } from './batched-search.js';
import { readBody, sendJson } from './http-io.js';
import { mediaType } from '../../app/serve/request-guard.js';
import { openApiDocument } from './openapi.js';
import { checkBody, matchRoute, parseJsonBody, queryObject } from './v1-request.js';
import { packRows } from '../../app/datasets/vectors.js';
import { binaryAnswer, decodeFloat32, jsonAnswer } from './vector-codec.js';

export interface PublicApiOptions {
  engine: EngineHost;
  bodyLimit: number;
  /** most neighbours per query (at most V1_LIMITS.maxK) */
  maxK?: number;
  batching?: Partial<BatchTuning>;
}

/** Answers one /v1/ request; throws EngineErrors for the server to send. */
export type PublicApi = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface AnyCall {
  /** the {id} of the path, '' where there is none */
  id: string;
  /** validated against the route's body schema */
  body: unknown;
  binary?: { data: Buffer; query: Static<typeof V1BinarySearchQuery> };
}
type Call<K extends V1RouteName> = AnyCall & { body: V1Body<K> };
type Reply = { status: number; json?: unknown } | { status: number; bytes: Buffer; headers: Record<string, string> };
type Handlers = { [K in V1RouteName]: (call: Call<K>) => Promise<Reply> };

const json = (status: number, body?: unknown): Reply => ({ status, json: body });

const v1Dataset = ({ id, name, n, dim, dtype, labels }: DatasetInfo): V1Dataset => ({ id, name, n, dim, dtype, labels });
const v1Index = ({ id, name, factory, metric, dim, ntotal, status, memory_bytes, error }: IndexInfo): V1Index => ({
  id,
  name,
  factory,
  metric,
  dim,
  ntotal,
  status,
  memory_bytes,
  ...(error ? { error } : {}),
});

/** The public v1 API for scripts (shared/API.md), over the same engine the UI uses. */
export function createPublicApi(opts: PublicApiOptions): PublicApi {
  const { engine } = opts;
  const client = createClient(inProcessTransport(engine));
  const maxK = Math.min(opts.maxK ?? V1_LIMITS.maxK, V1_LIMITS.maxK);
  const lanes = new IndexLanes(engine, opts.batching);
  let openapi: object | null = null;

  /** A path id that cannot be an id is as unknown as any other. */
  const pathId = (id: string, code: ErrorCode, what: string): string => {
    if (!Value.Check(Id, id)) throw new EngineError(code, `no ${what} "${id}"`);
    return id;
  };

  const indexInfo = async (id: string) => engine.call('getIndex', { id: pathId(id, 'INDEX_NOT_FOUND', 'index') });

  const readyIndex = async (id: string): Promise<IndexInfo> => {
    const ix = await indexInfo(id);
    if (ix.status !== 'ready') throw new EngineError('INDEX_NOT_READY', `index "${ix.name}" is ${ix.status}`);
    return ix;
  };

  const handlers: Handlers = {
    health: async () => json(200, await engine.call('health', {})),

    openapi: async () => {
      openapi ??= openApiDocument((await engine.call('health', {})).version);
      return json(200, openapi);
    },

    createDataset: async ({ body }) => {
      const source: DatasetSource =
        'path' in body ? { kind: 'file', path: body.path, ...(body.format ? { format: body.format } : {}) } : generated(body);
      const opening = await client.start('openDataset', { source, ...(body.name ? { name: body.name } : {}) });
      return json(201, v1Dataset(await opening.result));
    },

    listDatasets: async () => json(200, (await engine.call('listDatasets', {})).map(v1Dataset)),

    createIndex: async ({ body }) => {
      const datasets = await engine.call('listDatasets', {});
      if (!datasets.some((d) => d.id === body.dataset)) throw new EngineError('DATASET_NOT_FOUND', `no dataset "${body.dataset}"`);
      const { index, job } = await engine.call('buildIndex', body);
      return json(202, { id: index, status: 'building', job });
    },

    listIndexes: async () => json(200, (await engine.call('listIndexes', {})).map(v1Index)),

    loadIndex: async ({ body }) => {
      const info = await engine.call('loadIndex', body);
      return json(201, v1Index(info));
    },

    getIndex: async ({ id }) => json(200, v1Index(await indexInfo(id))),

    deleteIndex: async ({ id }) => {
      const ix = await indexInfo(id);
      // after the searches queued before it
      await lanes.write(ix.id, () => engine.call('dropIndex', { id: ix.id }));
      lanes.forget(ix.id);
      return json(204);
    },

    search: async ({ id, body, binary }) => {
      const ix = await readyIndex(id);
      const t0 = performance.now();
      const { query, k, params } = binary ? binaryQuery(binary, ix.dim) : jsonQuery(body, ix.dim);
      const n = query.kind === 'vectors' ? query.n : query.ids.length;
      if (k > maxK) throw new EngineError('BAD_K', `k is ${k}; this server allows 1 to ${maxK}`);
      if (n > V1_LIMITS.maxQueries) throw new EngineError('BAD_REQUEST', `${n} queries in one search; the limit is ${V1_LIMITS.maxQueries}`);
      if (n * k > V1_LIMITS.maxResults) throw new EngineError('BAD_REQUEST', `${n} queries x k=${k} is over the ${V1_LIMITS.maxResults} results one search may answer`);
      const r = await lanes.search(ix.id, query, k, params);
      const took = performance.now() - t0;
      if (!binary) return json(200, jsonAnswer(r, took));
      return { status: 200, bytes: binaryAnswer(r), headers: { 'X-Faiss-N': String(r.n), 'X-Faiss-K': String(r.k), 'X-Faiss-Took-Ms': took.toFixed(3) } };
    },

    addVectors: async ({ id, body }) => {
      const ix = await readyIndex(id);
      const vectors = packRows(body.vectors, ix.dim);
      if (body.ids && body.ids.length !== body.vectors.length) throw new EngineError('BAD_REQUEST', `${body.ids.length} ids for ${body.vectors.length} vectors`);
      const input = { index: ix.id, vectors, ...(body.ids ? { ids: body.ids } : {}) };
      return json(200, await lanes.write(ix.id, () => engine.call('addVectors', input)));
    },

    removeVectors: async ({ id, body }) => {
      const ix = await readyIndex(id);
      return json(200, await lanes.write(ix.id, () => engine.call('removeVectors', { index: ix.id, ids: body.ids })));
    },

    saveIndex: async ({ id, body }) => {
      const ix = await readyIndex(id);
      const target = body.path === undefined ? {} : { path: body.path };
      return json(200, await lanes.write(ix.id, () => engine.call('saveIndex', { index: ix.id, ...target })));
    },

    explain: async ({ id, body }) => {
      const ix = await readyIndex(id);
      const query = 'vector' in body ? { kind: 'packed' as const, data: packRows([body.vector], ix.dim) } : { kind: 'ids' as const, ids: [body.id] };
      return json(200, await engine.call('explain', { index: ix.id, query, k: body.k, ...(body.params ? { params: body.params } : {}) }));
    },

    getJob: async ({ id }) => json(200, await engine.call('getJob', { id: pathId(id, 'JOB_NOT_FOUND', 'job') })),
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (!match) throw new EngineError('NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    const route = V1_ROUTES[match.name];
    const call: AnyCall = { id: match.id ?? '', body: undefined };
    if ('body' in route) {
      const raw = await readBody(req, opts.bodyLimit);
      if (isBinary(req)) {
        if (!('binaryQuery' in route)) throw new EngineError('BAD_REQUEST', `${match.name} takes JSON; only search takes a binary body`);
        call.binary = { data: raw, query: check(route.binaryQuery, queryObject(url), 'search query') };
      } else {
        call.body = checkBody(route.body, parseJsonBody(raw.toString('utf8')), match.name);
      }
    }
    send(res, await (handlers[match.name] as (c: AnyCall) => Promise<Reply>)(call));
  };
}

interface SearchCall {
  query: Query;
  k: number;
  params?: SearchParams;
}

function jsonQuery(body: V1Search, dim: number): SearchCall {
  const { k, params } = body;
  if ('ids' in body) return { query: { kind: 'ids', ids: body.ids }, k, params };
  return { query: { kind: 'vectors', data: packRows(body.vectors, dim), n: body.vectors.length }, k, params };
}

function binaryQuery(binary: NonNullable<AnyCall['binary']>, dim: number): SearchCall {
  const { k, dim: given, ...params } = binary.query;
  if (given !== dim) throw new EngineError('BAD_DIMENSION', `queries have ${given} dims, index has ${dim}`);
  const data = decodeFloat32(binary.data, dim);
  return { query: { kind: 'vectors', data, n: data.length / dim }, k, params: Object.keys(params).length ? params : undefined };
}

function generated({ generate, name: _name, ...sizes }: Static<typeof V1Generate>): DatasetSource {
  return { kind: 'generate', generator: generate, ...sizes };
}

function isBinary(req: IncomingMessage): boolean {
  return mediaType(req.headers['content-type']) === 'application/octet-stream';
}

function send(res: ServerResponse, reply: Reply): void {
  if ('bytes' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/octet-stream', 'content-length': reply.bytes.length, 'cache-control': 'no-store', ...reply.headers });
    res.end(reply.bytes);
  } else if (reply.json === undefined) {
    res.writeHead(reply.status, { 'cache-control': 'no-store' });
    res.end();
  } else {
    sendJson(res, reply.status, JSON.stringify(reply.json));
  }
}
