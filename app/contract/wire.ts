/**
 * JSON for the HTTP transport that keeps typed arrays as typed arrays: they travel as base64 of
 * their bytes, tagged with their class, instead of as slow, lossy lists of numbers.
 */
const TAG = '$typed';
const ctors = { Float32Array, Float64Array, Int32Array, Uint8Array } as const;
type CtorName = keyof typeof ctors;

interface NodeBufferLike {
  from(data: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): Uint8Array & { toString(enc: string): string };
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;

function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  if (NodeBuffer) {
    const b = NodeBuffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function ctorName(value: unknown): CtorName | null {
  for (const name of Object.keys(ctors) as CtorName[]) if (value instanceof ctors[name]) return name;
  return null;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    const name = ctorName(v);
    if (!name) return v;
    const arr = v as Float32Array;
    return { [TAG]: name, b64: bytesToBase64(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)) };
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && TAG in v) {
      const { [TAG]: name, b64 } = v as { [TAG]: string; b64: unknown };
      if (!(name in ctors) || typeof b64 !== 'string') return v;
      const bytes = base64ToBytes(b64);
      const Ctor = ctors[name as CtorName];
      // copy so the view is aligned whatever the decoder's buffer offset was
      const copy = bytes.slice();
      return new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
