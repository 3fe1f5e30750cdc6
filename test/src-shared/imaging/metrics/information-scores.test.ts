import { describe, expect, it } from 'vitest';
import { informationScores } from '../../../../src-shared/imaging/metrics/information-scores';

const truth = Uint16Array.from({ length: 25 }, (_, i) => [1, 1, 0, 2, 2][i % 5]);

describe('informationScores (ISBI 2012 V_info)', () => {
  it('is perfect for a perfect prediction', () => {
    const r = informationScores(truth, truth.map((v) => v * 7), 5, 5);
    expect(r.vInfo).toBe(1);
    expect(r.voi).toBeCloseTo(0, 12);
    expect(r.hTruth).toBeCloseTo(Math.LN2, 12);
  });

  it('a merge of two equal halves: H(S) = 0, I = 0 -> V_info 0, VOI = ln 2', () => {
    const r = informationScores(truth, new Uint16Array(25).fill(4), 5, 5);
    expect(r.vInfo).toBe(0);
    expect(r.merge).toBe(0);
    expect(r.split).toBe(1);
    expect(r.hTruthGivenPred).toBeCloseTo(Math.LN2, 12);
    expect(r.hPredGivenTruth).toBeCloseTo(0, 12);
  });

  it('each object split into two equal columns: H(S) = ln 4, I = ln 2 -> split 1/2, merge 1', () => {
    const cols = Uint16Array.from({ length: 25 }, (_, i) => [1, 2, 0, 3, 4][i % 5]);
    const r = informationScores(truth, cols, 5, 5);
    expect(r.hPred).toBeCloseTo(Math.log(4), 12);
    expect(r.hPredGivenTruth).toBeCloseTo(Math.LN2, 12);
    expect(r.split).toBeCloseTo(0.5, 12);
    expect(r.merge).toBeCloseTo(1, 12);
    expect(r.vInfo).toBeCloseTo(2 / 3, 12);
  });

  it('counts predicted boundary pixels inside objects as singletons', () => {
    // All 20 truth pixels predicted 0: 20 singletons, H(S) = ln 20, I = H(T) = ln 2.
    const r = informationScores(truth, new Uint16Array(25), 5, 5);
    expect(r.hPred).toBeCloseTo(Math.log(20), 12);
    expect(r.split).toBeCloseTo(Math.LN2 / Math.log(20), 12);
    expect(r.merge).toBeCloseTo(1, 12);
    // As one label instead: the whole prediction is one object, a merge.
    expect(informationScores(truth, new Uint16Array(25), 5, 5, { predictedBackground: 'label' }).vInfo).toBe(0);
  });
});
