import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** What the engine does with a file a request names: reads it, or creates / replaces it. */
export type PathAccess = 'read' | 'write';

const ACCESS_KEY = 'x-path-access';

/**
 * A file path in an operation's input. The mark is what makes the engine apply its path rules:
 * every field declared this way is checked, on every transport, so a new path field cannot skip them.
 */
export function FilePath(access: PathAccess, description?: string) {
  return Type.String({ minLength: 1, maxLength: 4096, [ACCESS_KEY]: access, ...(description ? { description } : {}) });
}

interface SchemaShape {
  properties?: Record<string, TSchema>;
  anyOf?: TSchema[];
  items?: TSchema;
}

function accessOf(schema: TSchema): PathAccess | undefined {
  const a: unknown = schema[ACCESS_KEY];
  return a === 'read' || a === 'write' ? a : undefined;
}

/**
 * Every path field of a value (already checked against `schema`) replaced by what `resolve`
 * makes of it; `resolve` throws to refuse. A union is walked through the member the value matches.
 */
export function mapPaths(schema: TSchema, value: unknown, resolve: (given: string, access: PathAccess) => string): unknown {
  // most inputs have no path field: skip them whole (a union of vector forms is costly to match)
  if (!hasPaths(schema)) return value;
  const access = accessOf(schema);
  if (access && typeof value === 'string') return resolve(value, access);
  const s = schema as SchemaShape;
  if (s.anyOf) {
    const member = s.anyOf.find((m) => Value.Check(m, value));
    return member ? mapPaths(member, value, resolve) : value;
  }
  if (s.properties && value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    let out: Record<string, unknown> | null = null;
    for (const [key, sub] of Object.entries(s.properties)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const mapped = mapPaths(sub, v, resolve);
      if (mapped !== v) (out ??= { ...(value as Record<string, unknown>) })[key] = mapped;
    }
    return out ?? value;
  }
  if (s.items && Array.isArray(value)) {
    const mapped = value.map((v) => mapPaths(s.items as TSchema, v, resolve));
    return mapped.some((v, i) => v !== value[i]) ? mapped : value;
  }
  return value;
}

const withPaths = new WeakMap<TSchema, boolean>();
function hasPaths(schema: TSchema): boolean {
  let known = withPaths.get(schema);
  if (known === undefined) withPaths.set(schema, (known = pathFields(schema).length > 0));
  return known;
}

/** The places of a schema's path fields ("source.path", "path"), for tests that attack each one. */
export function pathFields(schema: TSchema, at = ''): { at: string; access: PathAccess }[] {
  const access = accessOf(schema);
  if (access) return [{ at, access }];
  const s = schema as SchemaShape;
  const join = (k: string) => (at ? `${at}.${k}` : k);
  if (s.anyOf) return s.anyOf.flatMap((m) => pathFields(m, at));
  if (s.properties) return Object.entries(s.properties).flatMap(([k, sub]) => pathFields(sub, join(k)));
  if (s.items) return pathFields(s.items, `${at}[]`);
  return [];
}
