import { describe, expect, it } from 'vitest';
import { segScore, segScorePerObject } from '../../../../src-shared/imaging/metrics/seg-score';

const truth = Uint16Array.from({ length: 25 }, (_, i) => [1, 1, 0, 2, 2][i % 5]);

describe('segScore (Cell Tracking Challenge SEG)', () => {
  it('is 1 for a perfect prediction with other label values', () => {
    expect(segScore(truth, truth.map((v) => (v ? 9 - v : 0)), 5, 5)).toBe(1);
  });

  it('needs more than half of the reference object: exactly half does not match', () => {
    const pred = Uint16Array.from({ length: 25 }, (_, i) => [1, 3, 0, 2, 2][i % 5]);
    pred[3] = 0;
    const r = segScorePerObject(truth, pred, 5, 5);
    expect(Array.from(r.perObject)).toEqual([0, 0.9]);
    expect(r.seg).toBeCloseTo(0.45, 12);
    expect(Array.from(r.referenceLabels)).toEqual([1, 2]);
  });

  it('counts predicted pixels outside the reference in the union', () => {
    const pred = new Uint16Array(25).fill(5); // one object covering everything
    const r = segScorePerObject(truth, pred, 5, 5);
    expect(Array.from(r.perObject)).toEqual([10 / 25, 10 / 25]);
  });

  it('is NaN without reference objects', () => {
    expect(segScore(new Uint16Array(4), new Uint16Array(4).fill(1), 2, 2)).toBeNaN();
  });
});
