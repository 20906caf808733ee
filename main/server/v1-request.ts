import type { TSchema, Static } from '@sinclair/typebox';
import { EngineError } from '../../app/contract/errors.js';
import { V1_ROUTES, type V1RouteName } from '../../app/contract/public-api.js';
import { check } from '../../app/contract/validate.js';

/**
 * Parses a JSON body. Python's json.dumps writes NaN and Infinity, which are not JSON: they are
 * read as infinities so the answer names the real problem (NON_FINITE) instead of BAD_JSON.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // fall through: maybe NaN or Infinity
  }
  const patched = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m.startsWith('"') ? m : m.startsWith('-') ? '-1e999' : '1e999'));
  if (patched !== text) {
    try {
      return JSON.parse(patched);
    } catch {
      // garbage all the same
    }
  }
  throw new EngineError('BAD_JSON', 'the request body is not valid JSON');
}

interface UnionSchema extends TSchema {
  anyOf: TSchema[];
}
const isUnion = (s: TSchema): s is UnionSchema => Array.isArray((s as Partial<UnionSchema>).anyOf);

/**
 * Checks a body against its schema. For a union of object forms (search by vectors or by ids)
 * the form whose required fields the body has most of is checked, so the error names a field
 * of the form the client meant rather than "expected union value".
 */
export function checkBody<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (!isUnion(schema) || value === null || typeof value !== 'object') return check(schema, value, what);
  const keys = new Set(Object.keys(value));
  const score = (s: TSchema) => ((s as { required?: string[] }).required ?? []).filter((k) => keys.has(k)).length;
  const best = schema.anyOf.reduce((a, b) => (score(b) > score(a) ? b : a));
  return check(best, value, what) as Static<T>;
}

/** Query parameters as an object, whole numbers as numbers (the schema checks the rest). */
export function queryObject(url: URL): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of url.searchParams) out[k] = /^-?\d{1,15}$/.test(v) ? Number(v) : v;
  return out;
}

export interface RouteMatch {
  name: V1RouteName;
  id?: string;
}

const compiled = (Object.keys(V1_ROUTES) as V1RouteName[]).map((name) => {
  const r = V1_ROUTES[name];
  const pattern = new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace('{id}', '([^/]+)')}$`);
  return { name, method: r.method as string, pattern };
});

/** The route for a method and path; a known path with another method is still not found. */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  for (const r of compiled) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (m) return m[1] === undefined ? { name: r.name } : { name: r.name, id: safeDecode(m[1]) };
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
