import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { checkRecordedUpscale, checkUpscale, enlargeImage, enlargeLabels, shrinkPlanes } from '../../../src-shared/imaging/enlarge';

describe('enlargeImage', () => {
  it('returns the image itself at factor 1', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(enlargeImage(data, 2, 2, 1, 1)).toBe(data);
  });

  it('interpolates between pixel centres: a ramp stays a ramp inside, the edges are clamped', () => {
    // One row 0, 1, 2, 3 enlarged twice: samples at source x = -0.25 (clamped), 0.25, 0.75, 1.25, ...
    const out = enlargeImage(Float32Array.from([0, 1, 2, 3]), 4, 1, 1, 2);
    expect(Array.from(out.subarray(0, 8))).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
    // The second row repeats the first (one source row).
    expect(Array.from(out.subarray(8, 16))).toEqual(Array.from(out.subarray(0, 8)));
  });

  it('keeps channels apart (HWC) and keeps the mean of a constant image', () => {
    const data = new Float32Array(3 * 2 * 2);
    for (let p = 0; p < 6; p++) {
      data[2 * p] = 5;
      data[2 * p + 1] = -1;
    }
    const out = enlargeImage(data, 3, 2, 2, 3);
    expect(out.length).toBe(9 * 6 * 2);
    for (let p = 0; p < 54; p++) {
      expect(out[2 * p]).toBeCloseTo(5, 6);
      expect(out[2 * p + 1]).toBeCloseTo(-1, 6);
    }
  });

  it('refuses factors it cannot apply, and data of the wrong length', () => {
    const data = new Float32Array(4);
    for (const factor of [0, 1.5, 5, Number.NaN]) expect(() => enlargeImage(data, 2, 2, 1, factor)).toThrow(UnetError);
    expect(() => enlargeImage(new Float32Array(3), 2, 2, 1, 2)).toThrow(UnetError);
  });
});

describe('enlargeLabels', () => {
  it('turns every pixel into a block and keeps the array type', () => {
    const labels = Uint16Array.from([1, 2, 3, 400]);
    const out = enlargeLabels(labels, 2, 2, 2);
    expect(out).toBeInstanceOf(Uint16Array);
    expect(Array.from(out)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 400, 400, 3, 3, 400, 400]);
  });
});

describe('shrinkPlanes', () => {
  it('averages blocks plane by plane, undoing a block enlargement exactly', () => {
    const planes = Float32Array.from([0.1, 0.9, 0.3, 0.7, 0.9, 0.1, 0.7, 0.3]); // 2 planes of 2x2
    // Each value copied into a 2x2 block of a 4x4 plane.
    const big = new Float32Array(2 * 16);
    for (let k = 0; k < 2; k++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) big[16 * k + 4 * y + x] = planes[4 * k + 2 * (y >> 1) + (x >> 1)];
    const back = shrinkPlanes(big, 2, 4, 4, 2);
    for (let i = 0; i < planes.length; i++) expect(back[i]).toBeCloseTo(planes[i], 6);
  });

  it('keeps probabilities summing to one', () => {
    const width = 6;
    const height = 4;
    const planes = new Float32Array(2 * width * height);
    for (let p = 0; p < width * height; p++) {
      planes[p] = (p % 7) / 7;
      planes[width * height + p] = 1 - planes[p];
    }
    const small = shrinkPlanes(planes, 2, width, height, 2);
    for (let p = 0; p < 6; p++) expect(small[p] + small[6 + p]).toBeCloseTo(1, 6);
    expect(small[0]).toBeCloseTo((0 + 1 / 7 + 6 / 7 + 0) / 4, 6);
  });

  it('refuses sizes that are not multiples of the factor', () => {
    expect(() => shrinkPlanes(new Float32Array(15), 1, 5, 3, 2)).toThrow(/not a multiple/);
  });
});

describe('checkUpscale and checkRecordedUpscale', () => {
  it('accepts whole factors 1 to 4', () => {
    for (const factor of [1, 2, 3, 4]) expect(checkUpscale(factor)).toBe(factor);
    expect(() => checkRecordedUpscale(undefined, 'unet.json')).not.toThrow();
  });

  it('calls a model description with another value corrupt, naming the file', () => {
    for (const value of [0, 2.5, 8, '2', null]) {
      let error: unknown;
      try {
        checkRecordedUpscale(value, '/models/m/unet.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnetError);
      expect((error as UnetError).code).toBe('CORRUPT');
      expect((error as UnetError).message).toContain('/models/m/unet.json');
    }
  });
});
