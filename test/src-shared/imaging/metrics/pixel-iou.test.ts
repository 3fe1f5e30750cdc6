import { describe, expect, it } from 'vitest';
import { pixelIoU } from '../../../../src-shared/imaging/metrics/pixel-iou';
import { pixelError } from '../../../../src-shared/imaging/metrics/pixel-error';
import { UnetError } from '../../../../src-shared/contract/errors';

describe('pixelIoU', () => {
  it('is 1 everywhere for a perfect prediction', () => {
    const t = Uint8Array.from([1, 2, 3, 2, 1, 1]);
    expect(pixelIoU(t, t, 3, 2)).toEqual({ perClass: { 1: 1, 2: 1, 3: 1 }, mean: 1, foreground: 1 });
  });

  it('computes per class, foreground and mean by hand, ignoring unlabeled truth', () => {
    const truth = Uint8Array.from([1, 1, 2, 2, 3, 0]);
    const pred = Uint8Array.from([1, 2, 2, 3, 3, 2]);
    const r = pixelIoU(pred, truth, 6, 1);
    expect(r.perClass[1]).toBeCloseTo(1 / 2, 12); // {0} / {0, 1}
    expect(r.perClass[2]).toBeCloseTo(1 / 3, 12); // {2} / {1, 2, 3}
    expect(r.perClass[3]).toBeCloseTo(1 / 2, 12); // {4} / {3, 4}
    expect(r.foreground).toBeCloseTo(3 / 4, 12); // pred fg {1,2,3,4}, truth fg {2,3,4}
    expect(r.mean).toBeCloseTo((1 / 2 + 1 / 3 + 1 / 2) / 3, 12);
  });

  it('leaves absent classes out and gives NaN without foreground', () => {
    const r = pixelIoU(new Uint8Array([1, 1]), new Uint8Array([1, 1]), 2, 1);
    expect(r.perClass).toEqual({ 1: 1 });
    expect(r.foreground).toBeNaN();
    expect(() => pixelIoU(new Uint8Array(2), new Uint8Array(3), 2, 1)).toThrow(UnetError);
  });
});

describe('pixelError', () => {
  it('is the fraction of labelled pixels whose binary foreground differs', () => {
    const truth = Uint8Array.from([1, 1, 2, 2, 3, 0]);
    const pred = Uint8Array.from([1, 2, 2, 3, 1, 2]);
    // Binary: truth 0 0 1 1 1 (-), pred 0 1 1 1 0 -> 2 of 5 wrong.
    expect(pixelError(pred, truth, 6, 1)).toBeCloseTo(2 / 5, 12);
    expect(pixelError(truth, truth, 6, 1)).toBe(0);
    expect(pixelError(truth, new Uint8Array(6), 6, 1)).toBeNaN();
  });
});
