import { useEffect, useRef } from 'react';
import { greyPixels } from '../../../app/explore/vector-image.js';

/** A vector that is a small greyscale image (digits 8×8, MNIST 28×28), drawn pixel for pixel. */
export function VectorThumb({ vector, side, label }: { vector: Float32Array; side: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) ctx.putImageData(new ImageData(greyPixels(vector), side, side), 0, 0);
  }, [vector, side]);
  return <canvas ref={ref} className="vector-thumb" width={side} height={side} role="img" aria-label={label} data-testid="vector-thumb" />;
}
