import { describe, expect, it } from 'vitest';
import {
  percentile,
  applyNormalization,
  combineNormalization,
  computeDatasetNormalization,
  computePercentileNormalization,
  PERCENTILE_SAMPLE_LIMIT,
} from '../../../src-shared/imaging/normalization';
import { UnetError } from '../../../src-shared/contract/errors';
import { createRng } from '../../../src-shared/imaging/rng';

/** numpy.percentile's default (linear) on a plain array, as the reference. */
function refPercentile(values: number[], p: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  return lo + 1 < s.length ? s[lo] + (rank - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

describe('computePercentileNormalization', () => {
  it('matches linear-interpolated percentiles on 0..100', () => {
    const data = new Uint8Array(101).map((_, i) => i);
    const p = computePercentileNormalization(data, 1, 99.8);
    expect(p).toEqual({ kind: 'percentile', lowPct: 1, highPct: 99.8, low: 1, high: 99.8 });
  });

  it('uses the histogram path for 8/16-bit data and agrees with sorting', () => {
    const rng = createRng(5);
    for (const make of [
      (n: number) => new Uint16Array(n).map(() => 30000 + rng.int(5000)),
      (n: number) => new Int16Array(n).map(() => rng.int(2000) - 1000),
      (n: number) => new Uint8Array(n).map(() => rng.int(256)),
    ]) {
      const data = make(5001);
      const p = computePercentileNormalization(data, 2, 98.5);
      const values = Array.from(data);
      expect(p.low).toBeCloseTo(refPercentile(values, 2), 9);
      expect(p.high).toBeCloseTo(refPercentile(values, 98.5), 9);
    }
  });

  it('ignores non-finite floats and samples very large float arrays', () => {
    const data = new Float32Array([Number.NaN, 1, 2, 3, Infinity, 4, 5]);
    const p = computePercentileNormalization(data, 0, 100);
    expect([p.low, p.high]).toEqual([1, 5]);
    const big = new Float32Array(PERCENTILE_SAMPLE_LIMIT * 3).map((_, i) => i % 1000);
    const q = computePercentileNormalization(big, 1, 99);
    expect(Math.abs(q.low - 10)).toBeLessThan(2);
    expect(Math.abs(q.high - 989)).toBeLessThan(2);
  });

  it('pools several arrays for a data set', () => {
    const a = new Uint16Array([0, 1, 2, 3, 4]);
    const b = new Uint16Array([5, 6, 7, 8, 9, 10]);
    const p = computeDatasetNormalization([a, b], 10, 90);
    expect(p.low).toBeCloseTo(1, 9);
    expect(p.high).toBeCloseTo(9, 9);
    const mixed = computeDatasetNormalization([new Float32Array([0, 1, 2, 3, 4]), b], 10, 90);
    expect(mixed.low).toBeCloseTo(1, 9);
  });

  it('rejects bad percentiles and empty data', () => {
    expect(() => computePercentileNormalization(new Uint8Array(3), 50, 50)).toThrow(UnetError);
    expect(() => computePercentileNormalization(new Uint8Array(3), -1, 50)).toThrow(UnetError);
    expect(() => computePercentileNormalization(new Uint8Array(0))).toThrow(UnetError);
    expect(() => computePercentileNormalization(new Float32Array([Number.NaN]))).toThrow(UnetError);
    expect(() => computeDatasetNormalization([])).toThrow(UnetError);
  });
});

describe('applyNormalization / combineNormalization', () => {
  it('maps low to 0 and high to 1 without clipping', () => {
    const params = { kind: 'percentile' as const, lowPct: 1, highPct: 99, low: 10, high: 20 };
    expect(Array.from(applyNormalization(new Uint16Array([10, 15, 20, 30, 0]), params))).toEqual([0, 0.5, 1, 2, -1]);
    const out = new Float32Array(2);
    expect(applyNormalization([10, 20], params, out)).toBe(out);
    expect(() => applyNormalization([1, 2, 3], params, out)).toThrow(UnetError);
  });

  it('maps a constant image to 0', () => {
    const params = computePercentileNormalization(new Uint8Array([7, 7, 7]));
    expect(Array.from(applyNormalization(new Uint8Array([7, 7]), params))).toEqual([0, 0]);
  });

  it('combines per-image parameters by averaging', () => {
    const p = combineNormalization([
      { kind: 'percentile', lowPct: 1, highPct: 99, low: 0, high: 10 },
      { kind: 'percentile', lowPct: 1, highPct: 99, low: 2, high: 20 },
    ]);
    expect(p).toEqual({ kind: 'percentile', lowPct: 1, highPct: 99, low: 1, high: 15 });
    expect(() => combineNormalization([])).toThrow(UnetError);
    expect(() =>
      combineNormalization([
        { kind: 'percentile', lowPct: 1, highPct: 99, low: 0, high: 10 },
        { kind: 'percentile', lowPct: 2, highPct: 99, low: 0, high: 10 },
      ]),
    ).toThrow(UnetError);
  });
});

describe('percentile', () => {
  it('interpolates as numpy, skips non-finite values and refuses a percentile outside 0..100', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2], 50)).toBeCloseTo(2.5, 12);
    expect(percentile(Float32Array.from([Number.NaN, 0.5, Infinity, 0.1]), 50)).toBeCloseTo(0.3, 6);
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
    expect(() => percentile([1, 2], 101)).toThrow(UnetError);
    expect(() => percentile([1, 2], -1)).toThrow(UnetError);
    expect(() => percentile([Number.NaN], 50)).toThrow(UnetError);
  });
});

