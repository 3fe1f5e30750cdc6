import { describe, expect, it } from 'vitest';
import { euclideanDistanceTransform } from '../../../src-shared/imaging/distance-transform';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

function bruteForce(mask: Uint8Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) {
    if (mask[i] === 0) continue;
    let best = Infinity;
    for (let j = 0; j < w * h; j++) {
      if (mask[j] !== 0) continue;
      const dx = (i % w) - (j % w);
      const dy = Math.floor(i / w) - Math.floor(j / w);
      best = Math.min(best, dx * dx + dy * dy);
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}

describe('euclideanDistanceTransform', () => {
  it('solves a hand example (distance of non-zero pixels to the nearest zero)', () => {
    // 5x3, single zero at (0,0)
    const mask = new Uint8Array(15).fill(1);
    mask[0] = 0;
    const d = euclideanDistanceTransform(mask, 5, 3);
    expect(d[0]).toBe(0);
    expect(d[1]).toBe(1);
    expect(d[4]).toBe(4);
    expect(d[5 + 1]).toBeCloseTo(Math.SQRT2, 6);
    expect(d[10 + 4]).toBeCloseTo(Math.sqrt(16 + 4), 6);
  });

  it('matches brute force on random masks of many shapes', () => {
    const rng = createRng(11);
    for (const [w, h, density] of [
      [1, 1, 0.5],
      [1, 17, 0.8],
      [23, 1, 0.9],
      [31, 19, 0.95],
      [16, 16, 0.3],
      [40, 33, 0.995],
    ]) {
      const mask = new Uint8Array(w * h).map(() => (rng.next() < density ? 1 : 0));
      mask[rng.int(w * h)] = 0;
      const d = euclideanDistanceTransform(mask, w, h);
      const ref = bruteForce(mask, w, h);
      for (let i = 0; i < w * h; i++) expect(d[i]).toBeCloseTo(ref[i], 5);
    }
  });

  it('returns Infinity when there is no zero pixel, and writes into out', () => {
    const out = new Float32Array(4);
    expect(euclideanDistanceTransform([1, 1, 1, 1], 2, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(() => euclideanDistanceTransform([1, 1, 1], 2, 2)).toThrow(UnetError);
  });
});
