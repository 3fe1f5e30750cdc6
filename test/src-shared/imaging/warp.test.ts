import { describe, expect, it } from 'vitest';
import { warpImage, warpNearest } from '../../../src-shared/imaging/warp';
import { createZeroField } from '../../../src-shared/imaging/elastic-deformation';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

function constantField(w: number, h: number, dx: number, dy: number) {
  const f = createZeroField(w, h);
  f.dx.fill(dx);
  f.dy.fill(dy);
  return f;
}

describe('warpImage', () => {
  const rng = createRng(2);
  const w = 13;
  const h = 9;
  const img = new Float32Array(w * h * 2).map(() => rng.next());

  it('is the identity for a zero field (bicubic and bilinear)', () => {
    expect(warpImage(img, w, h, 2, createZeroField(w, h))).toEqual(img);
    expect(warpImage(img, w, h, 2, createZeroField(w, h), undefined, 'bilinear')).toEqual(img);
  });

  it('shifts by whole pixels with mirrored borders', () => {
    const out = warpImage(img, w, h, 2, constantField(w, h, 2, -1));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sx = x + 2 >= w ? 2 * (w - 1) - (x + 2) : x + 2;
        const sy = y - 1 < 0 ? 1 : y - 1;
        for (let c = 0; c < 2; c++) expect(out[(y * w + x) * 2 + c]).toBeCloseTo(img[(sy * w + sx) * 2 + c], 6);
      }
    }
  });

  it('reproduces linear ramps exactly at sub-pixel positions in the interior', () => {
    const ramp = new Float32Array(w * h).map((_, i) => 0.5 * (i % w) + 0.25 * Math.floor(i / w));
    for (const mode of ['bicubic', 'bilinear'] as const) {
      const out = warpImage(ramp, w, h, 1, constantField(w, h, 0.3, 0.6), undefined, mode);
      for (let y = 1; y < h - 3; y++)
        for (let x = 1; x < w - 3; x++) expect(out[y * w + x]).toBeCloseTo(0.5 * (x + 0.3) + 0.25 * (y + 0.6), 5);
    }
  });

  it('writes into out and rejects bad sizes or in-place use', () => {
    const out = new Float32Array(img.length);
    expect(warpImage(img, w, h, 2, createZeroField(w, h), out)).toBe(out);
    expect(() => warpImage(img, w, h, 2, createZeroField(w, h), img)).toThrow(UnetError);
    expect(() => warpImage(img, w, h, 3, createZeroField(w, h))).toThrow(UnetError);
    expect(() => warpImage(img, w, h, 2, createZeroField(w, h + 1))).toThrow(UnetError);
  });
});

describe('warpNearest', () => {
  it('moves labels without creating new values and keeps the type', () => {
    const labels = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const out = warpNearest(labels, 3, 2, constantField(3, 2, 0.6, 0));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out)).toEqual([2, 3, 2, 5, 6, 5]);
    expect(warpNearest(labels, 3, 2, constantField(3, 2, 0.4, -0.4))).toEqual(labels);
  });
});
