import type { TSchema } from '@sinclair/typebox';
import { V1_ROUTES, V1Error, type V1Route, type V1RouteName } from '../../app/contract/public-api.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Codes any route may answer with, whatever it does. */
const COMMON_ERRORS = ['BAD_JSON', 'BODY_TOO_LARGE', 'UNAUTHORIZED', 'INTERNAL', 'WORKER_RESTARTED'];

/**
 * The OpenAPI 3.1 document of the v1 API, made from the route table and the TypeBox schemas the
 * server validates with (JSON Schema 2020-12 is OpenAPI 3.1's own dialect, so they go in as they
 * are). Every titled schema becomes a named component, referenced where it is used.
 */
export function openApiDocument(version: string): JsonObject {
  const components: JsonObject = {};
  const ref = (schema: TSchema) => toJson(schema, components);
  const paths: Record<string, JsonObject> = {};
  for (const name of Object.keys(V1_ROUTES) as V1RouteName[]) {
    const r: V1Route = V1_ROUTES[name];
    paths[r.path] ??= {};
    paths[r.path][r.method.toLowerCase()] = operation(name, r, ref);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Faiss Explorer API',
      version,
      description:
        'Serve faiss indexes to scripts. Errors are {"error": {"code", "message"}} with stable UPPER_SNAKE codes. ' +
        'Concurrent single-vector searches on one index are batched into one faiss call; adds and removes are ordered against searches.',
    },
    security: [{}, { bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'required when the server was started with --token' } } },
  };
}

function operation(name: V1RouteName, r: V1Route, ref: (s: TSchema) => Json): JsonObject {
  const op: JsonObject = { operationId: name, summary: r.summary };
  const parameters: Json[] = [];
  if (r.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
  if (r.binaryQuery) {
    const q = r.binaryQuery as TSchema & { properties: Record<string, TSchema>; required?: string[] };
    for (const [key, schema] of Object.entries(q.properties)) {
      parameters.push({ name: key, in: 'query', required: q.required?.includes(key) ?? false, description: 'binary form only', schema: ref(schema) });
    }
  }
  if (parameters.length) op.parameters = parameters;
  if (r.body) {
    const content: JsonObject = { 'application/json': { schema: ref(r.body) } };
    if (r.binaryQuery) content['application/octet-stream'] = binary('n x dim little-endian float32 query vectors; k and dim in the query string');
    op.requestBody = { required: true, content };
  }
  const answer: JsonObject = { description: r.summary };
  if (r.answer) {
    const content: JsonObject = { 'application/json': { schema: ref(r.answer) } };
    if (r.binaryQuery) content['application/octet-stream'] = binary('for a binary request: float32 distances [n x k], then int64 labels [n x k], little-endian');
    answer.content = content;
  }
  if (r.binaryQuery) {
    answer.headers = {
      'X-Faiss-N': { description: 'binary answer: number of queries', schema: { type: 'integer' } },
      'X-Faiss-K': { description: 'binary answer: neighbours per query', schema: { type: 'integer' } },
    };
  }
  op.responses = { [String(r.status)]: answer, default: { description: 'an error', content: { 'application/json': { schema: ref(V1Error) } } } };
  op['x-error-codes'] = [...r.errors, ...COMMON_ERRORS];
  return op;
}

function binary(description: string): JsonObject {
  return { schema: { type: 'string', contentMediaType: 'application/octet-stream', description } };
}

/**
 * A schema as plain JSON (TypeBox's symbol keys fall away). A titled schema is put in
 * `components` under its title and referenced, except as the body of its own component.
 */
function toJson(value: unknown, components: JsonObject, asRef = true): Json {
  if (Array.isArray(value)) return value.map((v) => toJson(v, components));
  if (value === null || typeof value !== 'object') return value as Json;
  const title = (value as { title?: unknown }).title;
  if (asRef && typeof title === 'string') {
    const body = toJson(value, components, false);
    const known = components[title];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(body)) throw new Error(`two different schemas are titled ${title}`);
    components[title] = body;
    return { $ref: `#/components/schemas/${title}` };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v, components)]));
}
