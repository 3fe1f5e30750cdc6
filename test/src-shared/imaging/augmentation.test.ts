import { describe, expect, it } from 'vitest';
import { augmentSample, DEFAULT_AUGMENT_OPTIONS, type AugmentOptions } from '../../../src-shared/imaging/augmentation';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

function sample(w: number, h: number, channels = 1) {
  const image = new Float32Array(w * h * channels).map((_, i) => (i % 17) / 17);
  const classMap = new Uint8Array(w * h).map((_, i) => 1 + ((i % w) > w / 2 ? 1 : 0));
  const weights = new Float32Array(w * h).map((_, i) => (classMap[i] === 2 ? 2.5 : 0.7));
  return { image, classMap, weights, width: w, height: h, channels };
}

const NONE: AugmentOptions = {
  elastic: false,
  elasticSigma: 10,
  elasticGrid: 3,
  flipsRotations: false,
  rotation: false,
  intensity: false,
};

describe('augmentSample', () => {
  it('returns copies equal to the input when everything is off', () => {
    const s = sample(20, 16);
    const out = augmentSample(s, createRng(1), NONE);
    expect(out.image).toEqual(s.image);
    expect(out.image).not.toBe(s.image);
    expect(out.classMap).toEqual(s.classMap);
    expect(out.weights).toEqual(s.weights);
  });

  it('is deterministic per seed, keeps label values and does not modify the input', () => {
    const s = sample(32, 24, 2);
    const before = s.image.slice();
    const a = augmentSample(s, createRng(5), DEFAULT_AUGMENT_OPTIONS);
    const b = augmentSample(s, createRng(5), DEFAULT_AUGMENT_OPTIONS);
    expect(a).toEqual(b);
    expect(s.image).toEqual(before);
    expect(new Set(a.classMap)).toEqual(new Set([1, 2]));
    for (const v of a.weights) expect(v === 2.5 || Math.abs(v - 0.7) < 1e-6).toBe(true);
    expect(a.width * a.height).toBe(32 * 24);
    expect(a.image.length).toBe(32 * 24 * 2);
  });

  it('keeps image and labels aligned under flips, rotations and elastic warps', () => {
    // Image = class map as intensity: after geometric augmentation, nearest-neighbour labels must agree with
    // the (interpolated) image except near the label boundary.
    const w = 40;
    const classMap = new Uint8Array(w * w).map((_, i) => ((i % w) - 20) ** 2 + (Math.floor(i / w) - 20) ** 2 < 100 ? 2 : 1);
    const s = { image: Float32Array.from(classMap), classMap, weights: new Float32Array(w * w).fill(1), width: w, height: w, channels: 1 };
    const out = augmentSample(s, createRng(8), { ...DEFAULT_AUGMENT_OPTIONS, intensity: false });
    let agree = 0;
    for (let i = 0; i < w * w; i++) if (Math.abs(out.image[i] - out.classMap[i]) < 0.5) agree++;
    expect(agree / (w * w)).toBeGreaterThan(0.97);
  });

  it('swaps width and height for odd quarter turns of non-square samples', () => {
    const sizes = new Set<string>();
    const rng = createRng(1);
    for (let t = 0; t < 20; t++) {
      const out = augmentSample(sample(6, 4), rng, { ...NONE, flipsRotations: true });
      sizes.add(`${out.width}x${out.height}`);
    }
    expect(sizes).toEqual(new Set(['6x4', '4x6']));
  });

  it('rejects inconsistent samples', () => {
    const s = sample(8, 8);
    expect(() => augmentSample({ ...s, weights: new Float32Array(3) }, createRng(1))).toThrow(UnetError);
    expect(() => augmentSample({ ...s, channels: 0 }, createRng(1))).toThrow(UnetError);
  });
});
