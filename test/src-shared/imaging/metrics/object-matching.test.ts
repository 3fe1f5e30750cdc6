import { describe, expect, it } from 'vitest';
import { objectMatching } from '../../../../src-shared/imaging/metrics/object-matching';
import { UnetError } from '../../../../src-shared/contract/errors';

const truth = Uint16Array.from({ length: 25 }, (_, i) => [1, 1, 0, 2, 2][i % 5]);

describe('objectMatching (StarDist-style)', () => {
  it('is perfect for a perfect prediction and for two empty images', () => {
    const [m] = objectMatching(truth, truth, 5, 5);
    expect(m).toMatchObject({ tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1, ap: 1, meanMatchedIoU: 1 });
    const [e] = objectMatching(new Uint8Array(4), new Uint8Array(4), 2, 2);
    expect(e).toMatchObject({ tp: 0, precision: 1, recall: 1, f1: 1, ap: 1 });
  });

  it('counts by hand at several thresholds', () => {
    // IoU(1,1) = 0.5, IoU(1,3) = 0.5, IoU(2,2) = 0.9.
    const pred = Uint16Array.from({ length: 25 }, (_, i) => [1, 3, 0, 2, 2][i % 5]);
    pred[3] = 0;
    const [at5, at6] = objectMatching(truth, pred, 5, 5, [0.5, 0.6]);
    expect(at5).toMatchObject({ tp: 2, fp: 1, fn: 0, recall: 1 });
    expect(at5.precision).toBeCloseTo(2 / 3, 12);
    expect(at5.f1).toBeCloseTo(0.8, 12);
    expect(at5.ap).toBeCloseTo(2 / 3, 12);
    expect(at5.meanMatchedIoU).toBeCloseTo(0.7, 12);
    expect(at6).toMatchObject({ tp: 1, fp: 2, fn: 1, ap: 0.25 });
  });

  it('finds the maximum matching below 0.5, where greedy pairing can fail', () => {
    // Truth A (5 px) overlaps P (IoU 3/7) and Q (IoU 2/5); truth B overlaps only P (IoU 1/3).
    // Greedy by IoU pairs A-P and leaves B alone; the maximum matching is A-Q, B-P.
    const t = Uint8Array.from([1, 1, 1, 1, 1, 2, 2, 2, 0, 0]);
    const p = Uint8Array.from([5, 5, 5, 6, 6, 5, 5, 0, 0, 0]);
    const [m] = objectMatching(t, p, 10, 1, [0.25]);
    expect(m.tp).toBe(2);
    expect(() => objectMatching(t, p, 10, 1, [1.5])).toThrow(UnetError);
  });

  it('has zero scores when nothing is predicted', () => {
    const [m] = objectMatching(truth, new Uint16Array(25), 5, 5);
    expect(m).toMatchObject({ tp: 0, fp: 0, fn: 2, precision: 0, recall: 0, f1: 0, ap: 0 });
  });
});
