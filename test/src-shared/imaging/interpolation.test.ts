import { describe, expect, it } from 'vitest';
import { cubicUpsamplingWeights, cubicWeights, upsampleGrid } from '../../../src-shared/imaging/interpolation';

describe('cubic interpolation', () => {
  it('has weights that sum to 1 and interpolate exactly at t = 0', () => {
    const w = new Float64Array(4);
    cubicWeights(0, w);
    expect(Array.from(w).map((v) => v + 0)).toEqual([0, 1, 0, 0]);
    for (const t of [0.1, 0.5, 0.77]) {
      cubicWeights(t, w);
      expect(w[0] + w[1] + w[2] + w[3]).toBeCloseTo(1, 12);
      // Reproduces a quadratic: sum w_k (k - 1 + ... ) evaluated at offsets -1, 0, 1, 2.
      const q = (x: number) => 3 * x * x - 2 * x + 1;
      expect(w[0] * q(-1) + w[1] * q(0) + w[2] * q(1) + w[3] * q(2)).toBeCloseTo(q(t), 12);
    }
  });

  it('upsamples node values exactly at the nodes and keeps linear ramps linear', () => {
    const weights = cubicUpsamplingWeights(3, 11);
    // Node positions 0, 5, 10.
    expect(Array.from(weights.subarray(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(weights.subarray(15, 18))).toEqual([0, 1, 0]);
    expect(Array.from(weights.subarray(30, 33))).toEqual([0, 0, 1]);
    const out = new Float32Array(11 * 7);
    upsampleGrid([0, 1, 2, 0, 1, 2, 0, 1, 2], 3, 3, 11, 7, out);
    for (let y = 0; y < 7; y++) for (let x = 0; x < 11; x++) expect(out[y * 11 + x]).toBeCloseTo(x / 5, 5);
  });
});
