import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { FilePath, mapPaths, pathFields } from '../../../../app/contract/file-paths.js';

const Source = Type.Union([
  Type.Object({ kind: Type.Literal('generate'), name: Type.String() }),
  Type.Object({ kind: Type.Literal('file'), path: FilePath('read'), queries: Type.Optional(FilePath('read')) }),
]);
const Input = Type.Object({ source: Source, out: Type.Optional(FilePath('write')), names: Type.Array(FilePath('read')) });

test('every marked field is resolved with its access, through unions, optionals and arrays', () => {
  const seen: string[] = [];
  const value = { source: { kind: 'file', path: 'a', queries: 'b' }, out: 'c', names: ['d', 'e'] };
  const mapped = mapPaths(Input, value, (p, access) => {
    seen.push(`${access}:${p}`);
    return `/real/${p}`;
  });
  assert.deepEqual(seen.sort(), ['read:a', 'read:b', 'read:d', 'read:e', 'write:c']);
  assert.deepEqual(mapped, { source: { kind: 'file', path: '/real/a', queries: '/real/b' }, out: '/real/c', names: ['/real/d', '/real/e'] });
  assert.equal(value.source.path, 'a', 'the input is not changed in place');
});

test('strings that are not paths are left alone, and a refusal propagates', () => {
  const value = { source: { kind: 'generate', name: 'x' }, names: [] };
  assert.equal(mapPaths(Input, value, () => assert.fail('no path here')), value);
  assert.throws(() => mapPaths(Input, { source: { kind: 'file', path: '/etc/passwd' }, names: [] }, () => { throw new Error('refused'); }), /refused/);
});

test('pathFields lists each field with its place', () => {
  assert.deepEqual(pathFields(Input), [
    { at: 'source.path', access: 'read' },
    { at: 'source.queries', access: 'read' },
    { at: 'out', access: 'write' },
    { at: 'names[]', access: 'read' },
  ]);
});
