import { describe, expect, it } from 'vitest';
import { randScores } from '../../../../src-shared/imaging/metrics/rand-scores';
import { UnetError } from '../../../../src-shared/contract/errors';

// 5x5 truth: object 1 in columns 0-1, membrane (0) in column 2, object 2 in columns 3-4.
const truth = Uint16Array.from({ length: 25 }, (_, i) => [1, 1, 0, 2, 2][i % 5]);

describe('randScores (ISBI 2012 foreground-restricted V_rand)', () => {
  it('is 1 for a perfect prediction, whatever the label values', () => {
    const relabelled = truth.map((v) => (v === 0 ? 0 : v * 10 + 3));
    expect(randScores(truth, relabelled, 5, 5)).toEqual({ vRand: 1, randError: 0, split: 1, merge: 1 });
  });

  it('5x5 merge by hand: sum p^2 = 200, sum t^2 = 200, sum s^2 = 400 -> V_rand = 2/3', () => {
    const r = randScores(truth, new Uint16Array(25).fill(1), 5, 5);
    expect(r.split).toBe(1);
    expect(r.merge).toBe(0.5);
    expect(r.vRand).toBeCloseTo(2 / 3, 12);
    expect(r.randError).toBeCloseTo(1 / 3, 12);
  });

  it('5x5 split plus one predicted boundary pixel (a singleton) by hand', () => {
    // Object 1 split into columns (labels 1 and 3); object 2 kept (label 2) except pixel (3, 0) predicted 0.
    const pred = Uint16Array.from({ length: 25 }, (_, i) => [1, 3, 0, 2, 2][i % 5]);
    pred[3] = 0;
    const r = randScores(truth, pred, 5, 5);
    // p: 5, 5, 9 and one singleton -> 25 + 25 + 81 + 1 = 132; t: 10, 10 -> 200; s: 5, 5, 9, 1 -> 132.
    expect(r.split).toBeCloseTo(132 / 200, 12);
    expect(r.merge).toBe(1);
    expect(r.vRand).toBeCloseTo((2 * 0.66) / 1.66, 12);
    // Counting predicted 0 as one label instead: p 25+25+81+1, s 25+25+81+1 -> the same here (one pixel).
    const asLabel = randScores(truth, pred, 5, 5, { predictedBackground: 'label' });
    expect(asLabel.vRand).toBeCloseTo(r.vRand, 12);
    // Distinct pairs only: (132 - 20) / (200 - 20).
    expect(randScores(truth, pred, 5, 5, { pairs: 'distinct' }).split).toBeCloseTo(112 / 180, 12);
  });

  it('treats a large predicted boundary region as singletons, not one object', () => {
    const pred = new Uint16Array(25); // everything predicted as boundary
    const r = randScores(truth, pred, 5, 5);
    // p: 20 singletons -> 20; t -> 200; s -> 20.
    expect(r.merge).toBe(1);
    expect(r.split).toBeCloseTo(20 / 200, 12);
    const asLabel = randScores(truth, pred, 5, 5, { predictedBackground: 'label' });
    expect(asLabel.merge).toBeCloseTo(200 / 400, 12);
  });

  it('rejects mismatched sizes', () => {
    expect(() => randScores(truth, new Uint16Array(24), 5, 5)).toThrow(UnetError);
  });
});
