import { describe, expect, it } from 'vitest';
import { budgetProgress, COSINE_FLOOR, learningRateAt } from '../../../src-main/engine/lr-schedule';

describe('learning-rate schedule', () => {
  const cosine = { learningRate: 1e-3, warmupSteps: 10, lrSchedule: 'cosine' as const };

  it('keeps the rate after the warm-up when constant, whatever the progress', () => {
    expect(learningRateAt({ ...cosine, lrSchedule: 'constant' }, 500, 0.9)).toBe(1e-3);
  });

  it('warms up linearly, then decays along a cosine to the floor when the budget ends', () => {
    expect(learningRateAt(cosine, 5, 0.01)).toBeCloseTo(5e-4);
    expect(learningRateAt(cosine, 10, 0)).toBeCloseTo(1e-3);
    expect(learningRateAt(cosine, 100, 0.5)).toBeCloseTo(1e-3 * (COSINE_FLOOR + (1 - COSINE_FLOOR) / 2));
    expect(learningRateAt(cosine, 1000, 1)).toBeCloseTo(1e-3 * COSINE_FLOOR);
    expect(learningRateAt(cosine, 1000, 7)).toBeCloseTo(1e-3 * COSINE_FLOOR);
    const rates = [0, 0.2, 0.4, 0.6, 0.8, 1].map((p) => learningRateAt(cosine, 100, p));
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]);
  });

  it('measures progress by steps or by time, whichever is further', () => {
    expect(budgetProgress({ steps: 1000 }, 250, 9999)).toBeCloseTo(0.25);
    expect(budgetProgress({ steps: 1_000_000, minutes: 2 }, 10, 60)).toBeCloseTo(0.5);
    expect(budgetProgress({ steps: 100, minutes: 60 }, 50, 60)).toBeCloseTo(0.5);
    expect(budgetProgress({ steps: 100, minutes: 1 }, 10, 600)).toBe(1);
  });
});
