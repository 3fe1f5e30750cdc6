import { describe, expect, it } from 'vitest';
import { evaluateSegmentation } from '../../../../src-shared/imaging/metrics/evaluate-segmentation';
import { UnetError } from '../../../../src-shared/contract/errors';

// 6x4: two cells (class 2) separated by a background column; one unlabeled pixel.
const truthClass = Uint8Array.from([
  1, 1, 1, 1, 1, 1,
  2, 2, 1, 2, 2, 1,
  2, 2, 1, 2, 2, 1,
  1, 1, 1, 1, 1, 0,
]);

describe('evaluateSegmentation', () => {
  it('is perfect for a perfect prediction (instances derived from the foreground)', () => {
    const r = evaluateSegmentation({ classMap: truthClass }, { classMap: truthClass }, 6, 4);
    expect(r).toMatchObject({
      iou: 1,
      meanIou: 1,
      seg: 1,
      vRand: 1,
      randError: 0,
      vInfo: 1,
      pixelError: 0,
      ap50: 1,
      precision50: 1,
      recall50: 1,
      f1_50: 1,
      warpingError: 0,
      truthObjects: 2,
      predictedObjects: 2,
    });
    expect(r.iouPerClass).toEqual({ 1: 1, 2: 1 });
  });

  it('sees a merge: the background column predicted as cell', () => {
    const pred = truthClass.slice();
    pred[8] = 2;
    pred[14] = 2;
    const r = evaluateSegmentation({ classMap: pred }, { classMap: truthClass }, 6, 4, { iouThresholds: [0.3] });
    expect(r.predictedObjects).toBe(1);
    expect(r.vRand).toBeCloseTo(2 / 3, 12); // sum p^2 = 32, t^2 = 32, s^2 = 64
    expect(r.iou).toBeCloseTo(8 / 10, 12);
    expect(r.pixelError).toBeCloseTo(2 / 23, 12);
    expect(r.seg).toBeCloseTo(0.4, 12); // each cell (4 px) lies inside the merged object (10 px): J = 4 / 10
    expect(r.matching.map((m) => m.threshold)).toEqual([0.3, 0.5]);
    expect(r.warpingError).toBeCloseTo(2 / 24, 12);
  });

  it('uses given instances and can skip the warping error', () => {
    const inst = new Uint16Array(24);
    [6, 7, 12, 13].forEach((i) => (inst[i] = 4));
    [9, 10, 15, 16].forEach((i) => (inst[i] = 9));
    const r = evaluateSegmentation({ classMap: truthClass, instances: inst }, { classMap: truthClass, instances: inst }, 6, 4, {
      warping: false,
    });
    expect(r.warpingError).toBeUndefined();
    expect(r.seg).toBe(1);
  });

  it('rejects bad input', () => {
    expect(() => evaluateSegmentation({ classMap: truthClass }, { classMap: new Uint8Array(3) }, 6, 4)).toThrow(UnetError);
    expect(() =>
      evaluateSegmentation({ classMap: truthClass, instances: new Uint16Array(3) }, { classMap: truthClass }, 6, 4),
    ).toThrow(UnetError);
  });
});
