/** A chunk with the unfinished tail of the previous one in front (no copy when there is none). */
export function withCarry(carry: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (carry.length === 0) return chunk;
  const buf = new Uint8Array(carry.length + chunk.length);
  buf.set(carry);
  buf.set(chunk, carry.length);
  return buf;
}
