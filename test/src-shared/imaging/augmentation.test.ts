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

  it('zooms content and labels together by exp(u), u within the scale range; a range of 0 draws nothing', () => {
    const w = 64;
    const disc = new Uint8Array(w * w).map((_, i) => ((i % w) - 32) ** 2 + (Math.floor(i / w) - 32) ** 2 < 100 ? 2 : 1);
    const s = { image: Float32Array.from(disc), classMap: disc, weights: new Float32Array(w * w).fill(1), width: w, height: w, channels: 1 };
    const area = (m: Uint8Array) => m.reduce((n, v) => n + (v === 2 ? 1 : 0), 0);
    const ratios: number[] = [];
    const rng = createRng(2);
    for (let t = 0; t < 40; t++) {
      const out = augmentSample(s, rng, { ...NONE, scaleRange: 0.5 });
      let agree = 0;
      for (let i = 0; i < w * w; i++) if (Math.abs(out.image[i] - out.classMap[i]) < 0.5) agree++;
      expect(agree / (w * w)).toBeGreaterThan(0.97);
      ratios.push(area(out.classMap) / area(disc));
    }
    // Area scales with the square of the zoom: within exp(±1), both ways.
    expect(Math.min(...ratios)).toBeGreaterThan(Math.exp(-1) * 0.9);
    expect(Math.max(...ratios)).toBeLessThan(Math.exp(1) * 1.1);
    expect(Math.min(...ratios)).toBeLessThan(0.75);
    expect(Math.max(...ratios)).toBeGreaterThan(1.4);

    const a = createRng(9);
    const b = createRng(9);
    expect(augmentSample(s, a, { ...DEFAULT_AUGMENT_OPTIONS, scaleRange: 0 })).toEqual(augmentSample(s, b, DEFAULT_AUGMENT_OPTIONS));
    expect(a.uniform(0, 1)).toBe(b.uniform(0, 1));
    expect(() => augmentSample(s, createRng(1), { ...NONE, scaleRange: -0.1 })).toThrow(UnetError);
  });

  it('computes a window as the same part of the whole augmented sample, and refuses a window outside it', () => {
    const w = 48;
    const h = 40;
    const classMap = new Uint8Array(w * h).map((_, i) => (((i % w) - 20) ** 2 + (Math.floor(i / w) - 22) ** 2 < 120 ? 2 : 1));
    const weights = new Float32Array(w * h).map((_, i) => 1 + (i % 7));
    const image = new Float32Array(w * h * 2).map((_, i) => Math.sin(i / 5) + classMap[i >> 1]);
    const s = { image, classMap, weights, width: w, height: h, channels: 2 };
    const options = { ...DEFAULT_AUGMENT_OPTIONS, intensity: false, scaleRange: 0.4 };
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const whole = augmentSample(s, createRng(seed), options);
      const win = { x: 7, y: 5, width: 21, height: 19 };
      if (win.x + win.width > whole.width || win.y + win.height > whole.height) continue;
      const part = augmentSample(s, createRng(seed), options, win);
      expect([part.width, part.height, part.image.length]).toEqual([21, 19, 21 * 19 * 2]);
      let labelsDiffer = 0;
      for (let y = 0; y < win.height; y++) {
        for (let x = 0; x < win.width; x++) {
          const i = y * win.width + x;
          const j = (y + win.y) * whole.width + x + win.x;
          for (let c = 0; c < 2; c++) expect(part.image[i * 2 + c]).toBeCloseTo(whole.image[j * 2 + c], 4);
          if (part.classMap[i] !== whole.classMap[j] || part.weights[i] !== whole.weights[j]) labelsDiffer++;
        }
      }
      // Nearest-neighbour rounding may flip a pixel whose source lies exactly between two.
      expect(labelsDiffer).toBeLessThanOrEqual(2);
    }
    const cropped = augmentSample(s, createRng(1), NONE, { x: 40, y: 30, width: 8, height: 10 });
    expect(Array.from(cropped.classMap.subarray(0, 8))).toEqual(Array.from(classMap.subarray(30 * w + 40, 30 * w + 48)));
    expect(() => augmentSample(s, createRng(1), NONE, { x: 41, y: 30, width: 8, height: 10 })).toThrow(UnetError);
    expect(() => augmentSample(s, createRng(1), NONE, { x: -1, y: 0, width: 8, height: 10 })).toThrow(UnetError);
  });

  it('rejects inconsistent samples', () => {
    const s = sample(8, 8);
    expect(() => augmentSample({ ...s, weights: new Float32Array(3) }, createRng(1))).toThrow(UnetError);
    expect(() => augmentSample({ ...s, channels: 0 }, createRng(1))).toThrow(UnetError);
  });
});
