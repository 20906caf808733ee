/** Side lengths of the square greyscale images a vector may be: digits 8×8, USPS 16×16, MNIST 28×28, 32×32. */
const SIDES = [8, 16, 28, 32];

/** The side of the square image size dim could be, before looking at any values. */
export function imageSideOf(dim: number): number | null {
  return SIDES.find((s) => s * s === dim) ?? null;
}

/** Share of exact zeros that says "blank background" when the pixels are not whole numbers. */
const BACKGROUND_SHARE = 0.2;

/**
 * The side of the square image a dim-dimensional vector would be, or null. Pixels are never
 * negative, and are whole intensities (digits 0-16, MNIST 0-255) or, scaled to [0, 1], mostly blank
 * background; an embedding (negatives) or uniform noise (the tutorial set) is neither.
 */
export function imageSide(dim: number, vectors: ArrayLike<number>): number | null {
  const side = imageSideOf(dim);
  if (side === null || vectors.length === 0) return null;
  let whole = true;
  let zeros = 0;
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i];
    if (!(v >= 0)) return null;
    if (v === 0) zeros++;
    else if (whole && !Number.isInteger(v)) whole = false;
  }
  return whole || zeros >= BACKGROUND_SHARE * vectors.length ? side : null;
}

/** One vector's pixels as RGBA bytes, dark on light (ink on paper), scaled by the vector's own maximum. */
export function greyPixels(vector: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, vector[i]);
  const out = new Uint8ClampedArray(vector.length * 4);
  for (let i = 0; i < vector.length; i++) {
    const v = 255 - Math.round((max > 0 ? vector[i] / max : 0) * 255);
    out.set([v, v, v, 255], i * 4);
  }
  return out;
}
