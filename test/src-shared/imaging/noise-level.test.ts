import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { estimateNoiseSigma, matchNoiseLevel, typicalNoiseSigma } from '../../../src-shared/imaging/noise-level';
import { createRng } from '../../../src-shared/imaging/rng';

/** Smooth structure (a ramp and soft discs), the kind of signal the estimator must not read as noise. */
function structure(width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = Math.exp(-(((x % 40) - 20) ** 2 + ((y % 40) - 20) ** 2) / 120);
      out[y * width + x] = 0.2 + (0.3 * x) / width + 0.4 * disc;
    }
  }
  return out;
}

function withNoise(image: Float32Array, sigma: number, seed: number, channels = 1, channel = 0): Float32Array {
  const rng = createRng(seed);
  const out = image.slice();
  for (let i = channel; i < out.length; i += channels) out[i] += sigma * rng.normal();
  return out;
}

describe('estimateNoiseSigma', () => {
  it('reads the standard deviation of added white noise and not the smooth structure beneath', () => {
    const clean = structure(200, 160);
    expect(estimateNoiseSigma(clean, 200, 160)).toBeLessThan(0.005);
    for (const sigma of [0.02, 0.05, 0.1]) {
      expect(estimateNoiseSigma(withNoise(clean, sigma, 3), 200, 160)).toBeCloseTo(sigma, 2);
    }
  });

  it('scales with the intensities, averages interleaved channels and measures large images on a crop', () => {
    const noisy = withNoise(structure(120, 100), 0.04, 5);
    const single = estimateNoiseSigma(noisy, 120, 100);
    expect(estimateNoiseSigma(noisy.map((v) => 3 * v), 120, 100)).toBeCloseTo(3 * single, 6);

    const two = new Float32Array(120 * 100 * 2);
    const base = structure(120, 100);
    for (let p = 0; p < base.length; p++) two[2 * p] = two[2 * p + 1] = base[p];
    const mixed = withNoise(withNoise(two, 0.02, 6, 2, 0), 0.06, 7, 2, 1);
    expect(estimateNoiseSigma(mixed, 120, 100, 2)).toBeCloseTo(0.04, 2);

    const wide = withNoise(structure(1500, 300), 0.05, 8);
    expect(estimateNoiseSigma(wide, 1500, 300)).toBeCloseTo(0.05, 2);
  });

  it('is 0 for images too small for its 3x3 mask and refuses a wrong length', () => {
    expect(estimateNoiseSigma([1, 2, 3, 4], 2, 2)).toBe(0);
    expect(() => estimateNoiseSigma(new Float32Array(10), 4, 4)).toThrow(UnetError);
  });
});

describe('typicalNoiseSigma', () => {
  it('is the median of the images’ estimates', () => {
    const clean = structure(80, 80);
    const images = [0.01, 0.03, 0.09].map((s, i) => ({ data: withNoise(clean, s, 10 + i), width: 80, height: 80 }));
    expect(typicalNoiseSigma(images)).toBeCloseTo(0.03, 2);
    expect(typicalNoiseSigma(images.slice(0, 2))).toBeCloseTo(0.02, 2);
    expect(() => typicalNoiseSigma([])).toThrow(UnetError);
  });
});

describe('matchNoiseLevel', () => {
  const clean = structure(160, 160);

  it('leaves an image at (or within the tolerance of) the target as it is', () => {
    const image = withNoise(clean, 0.03, 1);
    const same = matchNoiseLevel(image, 160, 160, 1, 0.03);
    expect(same.sigma).toBe(0);
    expect(same.data).toBe(image);
    expect(matchNoiseLevel(withNoise(clean, 0.04, 2), 160, 160, 1, 0.03).sigma).toBe(0);
  });

  it('smooths a clearly noisier image just down to the target level', () => {
    const image = withNoise(clean, 0.12, 2);
    const matched = matchNoiseLevel(image, 160, 160, 1, 0.03);
    expect(matched.sigma).toBeGreaterThan(0.3);
    expect(matched.sigma).toBeLessThan(2);
    expect(matched.before).toBeCloseTo(0.12, 2);
    expect(matched.after).toBeLessThanOrEqual(0.03 * 1.05);
    expect(matched.after).toBeGreaterThan(0.03 * 0.8);
    // A stronger level asks for more smoothing; the input is not modified.
    expect(matchNoiseLevel(image, 160, 160, 1, 0.015).sigma).toBeGreaterThan(matched.sigma);
    expect(image).toEqual(withNoise(clean, 0.12, 2));
  });

  it('stops at the largest sigma allowed and smooths each channel on its own', () => {
    const capped = matchNoiseLevel(withNoise(clean, 0.2, 3), 160, 160, 1, 0.0001, { maxSigma: 0.5 });
    expect(capped.sigma).toBe(0.5);
    const two = new Float32Array(160 * 160 * 2);
    for (let p = 0; p < clean.length; p++) two[2 * p] = clean[p];
    const matched = matchNoiseLevel(withNoise(two, 0.1, 4, 2, 1), 160, 160, 2, 0.01);
    expect(matched.sigma).toBeGreaterThan(0);
    let sumFirst = 0;
    for (let p = 0; p < clean.length; p++) sumFirst += matched.data[2 * p];
    // The first channel keeps its own mean (a Gaussian preserves it), untouched by the second's noise.
    expect(sumFirst / clean.length).toBeCloseTo(clean.reduce((a, b) => a + b, 0) / clean.length, 3);
  });

  it('refuses bad targets and options with typed errors', () => {
    expect(() => matchNoiseLevel(clean, 160, 160, 1, -1)).toThrow(UnetError);
    expect(() => matchNoiseLevel(clean, 160, 160, 1, Number.NaN)).toThrow(UnetError);
    expect(() => matchNoiseLevel(clean, 160, 160, 1, 0.1, { tolerance: 0.5 })).toThrow(UnetError);
    expect(() => matchNoiseLevel(clean, 160, 160, 1, 0.1, { maxSigma: 0 })).toThrow(UnetError);
  });
});
