import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { greyPixels, imageSide } from '../../../../app/explore/vector-image.js';

describe('vectors as images', () => {
  it('takes 64 and 784 non-negative values as 8×8 and 28×28 images, and nothing else', () => {
    assert.equal(imageSide(64, new Float32Array(64 * 3).fill(4)), 8);
    assert.equal(imageSide(784, new Float32Array(784).fill(0)), 28);
    assert.equal(imageSide(64, Float32Array.from({ length: 64 }, (_, i) => i - 1)), null, 'a negative value: an embedding, not pixels');
    assert.equal(imageSide(65, new Float32Array(65)), null);
    const noise = Float32Array.from({ length: 64 }, (_, i) => (i * 0.37) % 1 + 0.01);
    assert.equal(imageSide(64, noise), null, 'uniform noise in [0, 1) (the tutorial set) is not an image');
    const scaled = Float32Array.from({ length: 784 }, (_, i) => (i % 3 === 0 ? 0.5 + (i % 7) / 20 : 0));
    assert.equal(imageSide(784, scaled), 28, 'MNIST scaled to [0, 1]: mostly blank background');
    assert.equal(imageSide(64, new Float32Array(0)), null);
  });

  it('draws ink dark on light, scaled by the brightest pixel', () => {
    const px = greyPixels([0, 8, 16, 4]);
    assert.deepEqual(Array.from(px.filter((_, i) => i % 4 === 0)), [255, 127, 0, 191]);
    assert.ok(px.filter((_, i) => i % 4 === 3).every((a) => a === 255));
    assert.deepEqual(Array.from(greyPixels([0, 0]).filter((_, i) => i % 4 === 0)), [255, 255], 'a blank image stays blank');
  });
});
