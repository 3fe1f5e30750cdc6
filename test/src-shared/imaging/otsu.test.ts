import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { gaussianBlur, gaussianKernel } from '../../../src-shared/imaging/gaussian-blur';
import { minorityPolarity, otsuSegmentation, otsuSplit, otsuThreshold, polarityFromAnnotations } from '../../../src-shared/imaging/otsu';

// Reference values from scikit-image 0.19.3 (float64 inputs):
//   threshold_otsu(A), threshold_otsu(C), threshold_otsu(D), and for B:
//   Bs = skimage.filters.gaussian(B, sigma=1, mode='nearest', truncate=4.0, preserve_range=True); threshold_otsu(Bs)
const A = Float64Array.from({ length: 400 }, (_, i) => (((i * 37) % 101) / 101) * 20 + (i % 3 === 0 ? 60 : 10));
const C = Float64Array.from({ length: 300 }, (_, i) => (i % 17) ** 2);
const D = Float64Array.from([0, 0, 0, 1, 1, 5, 5, 5, 5, 9]);
const W = 16;
const H = 12;
const B = Float64Array.from({ length: W * H }, (_, p) => {
  const x = p % W;
  const y = Math.floor(p / W);
  return 100 * (x > 6 && y > 4 ? 1 : 0) + ((x * 13 + y * 7) % 11);
});

describe('otsuThreshold', () => {
  it('matches scikit-image threshold_otsu on 1-D arrays', () => {
    expect(otsuThreshold(A)).toBeCloseTo(29.76813892326733, 9);
    expect(otsuThreshold(C)).toBeCloseTo(100.5, 9);
    expect(otsuThreshold(D)).toBeCloseTo(1.001953125, 9);
  });

  it('separates two well-apart clusters between them', () => {
    const t = otsuThreshold([1, 2, 1, 2, 1, 50, 51, 52]);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(t).toBeLessThan(50);
  });

  it('returns the value of a constant image and ignores non-finite values', () => {
    expect(otsuThreshold([3, 3, 3])).toBe(3);
    expect(otsuThreshold([NaN, 1, 1, 1, 9, 9, Infinity])).toBeGreaterThanOrEqual(1);
    expect(otsuThreshold([NaN, 1, 1, 1, 9, 9, Infinity])).toBeLessThan(9);
  });

  it('refuses an image without finite values and bad bin counts with typed errors', () => {
    expect(() => otsuThreshold([NaN, NaN])).toThrow(UnetError);
    expect(() => otsuThreshold([1, 2], 1)).toThrow(UnetError);
  });
});

describe('gaussianBlur', () => {
  it('matches skimage.filters.gaussian (sigma 1, mode nearest) pixel for pixel', () => {
    const s = gaussianBlur(B, W, H, 1);
    expect(s[0]).toBeCloseTo(2.4578673559509614, 4);
    expect(s[5 * W + 7]).toBeCloseTo(53.92607076135188, 4);
    expect(s[11 * W + 15]).toBeCloseTo(106.22299578657022, 4);
  });

  it('keeps a constant image constant and sigma 0 is the identity', () => {
    expect(Array.from(gaussianBlur(new Float32Array(12).fill(7), 4, 3, 2)).every((v) => Math.abs(v - 7) < 1e-5)).toBe(true);
    expect(Array.from(gaussianBlur(B, W, H, 0))).toEqual(Array.from(Float32Array.from(B)));
  });

  it('uses the scipy kernel radius of round(4 sigma)', () => {
    expect(gaussianKernel(1).length).toBe(9);
    expect(gaussianKernel(1.5).length).toBe(13);
    expect(gaussianKernel(1).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('refuses a negative sigma and a wrong-length image', () => {
    expect(() => gaussianBlur(B, W, H, -1)).toThrow(UnetError);
    expect(() => gaussianBlur(B, W, H + 1, 1)).toThrow(UnetError);
  });
});

describe('otsuSplit and the baseline segmentation', () => {
  it('thresholds the smoothed image as scikit-image does', () => {
    const split = otsuSplit(B, W, H);
    expect(split.threshold).toBeCloseTo(35.65346297006988, 3);
    expect(split.aboveCount).toBe(63);
  });

  it('takes the minority side as foreground without a polarity, and its 4-connected components as objects', () => {
    // Two bright squares on a dark majority: two objects.
    const w = 10;
    const img = new Float32Array(w * w);
    for (const [x0, y0] of [[1, 1], [6, 6]]) for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 3; x++) img[y * w + x] = 200;
    const seg = otsuSegmentation(img, w, w);
    expect(seg.polarity).toBe('bright');
    expect(seg.count).toBe(2);
    expect(seg.classMap[2 * w + 2]).toBe(2);
    expect(seg.classMap[0]).toBe(1);
    // The same squares dark on a bright majority: still the squares.
    const inverted = img.map((v) => 200 - v);
    const dark = otsuSegmentation(inverted, w, w);
    expect(dark.polarity).toBe('dark');
    expect(dark.count).toBe(2);
    expect(dark.classMap[2 * w + 2]).toBe(2);
  });

  it('a forced polarity overrides the minority rule', () => {
    const seg = otsuSegmentation(B, W, H, { polarity: 'dark' });
    expect(seg.polarity).toBe('dark');
    expect(seg.classMap[0]).toBe(2);
    expect(seg.classMap[11 * W + 15]).toBe(1);
  });
});

describe('polarity rules', () => {
  const above = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0]);
  it('minority: the side with fewer pixels', () => {
    expect(minorityPolarity({ above, aboveCount: 3 })).toBe('bright');
    expect(minorityPolarity({ above, aboveCount: 5 })).toBe('dark');
  });

  it('annotations: the side that matches the annotated foreground, even when it is the majority', () => {
    // Foreground = the five dark pixels (the majority): the minority rule would be wrong here.
    const classMap = Uint8Array.from([1, 1, 1, 2, 2, 2, 2, 2]);
    expect(polarityFromAnnotations([{ above, classMap }])).toBe('dark');
    expect(polarityFromAnnotations([{ above, classMap: Uint8Array.from([2, 2, 2, 1, 1, 1, 1, 1]) }])).toBe('bright');
  });

  it('annotations: unlabelled pixels do not count, and no labelled pixel gives no answer', () => {
    const classMap = Uint8Array.from([2, 2, 0, 1, 0, 0, 0, 0]);
    expect(polarityFromAnnotations([{ above, classMap }])).toBe('bright');
    expect(polarityFromAnnotations([{ above, classMap: new Uint8Array(8) }])).toBeNull();
    expect(() => polarityFromAnnotations([{ above, classMap: new Uint8Array(3) }])).toThrow(UnetError);
  });
});
