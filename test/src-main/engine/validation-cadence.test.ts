import { describe, expect, it } from 'vitest';
import { ValidationCadence } from '../../../src-main/engine/validation-cadence';

/** Steps 1..n, each `stepSeconds` long, validating (at `cost` seconds) whenever due; the steps that validated. */
function simulate(cadence: ValidationCadence, n: number, stepSeconds: number, cost: number): number[] {
  const validated: number[] = [];
  for (let step = 1; step <= n; step++) {
    cadence.trained(stepSeconds);
    if (cadence.due(step)) {
      validated.push(step);
      cadence.validated(cost);
    }
  }
  return validated;
}

describe('ValidationCadence', () => {
  it('without a time budget, validates at every multiple, however slow validation is', () => {
    expect(simulate(new ValidationCadence(100, null), 500, 0.1, 60)).toEqual([100, 200, 300, 400, 500]);
  });

  it('validates at every multiple while validation is cheap against the training between', () => {
    // 100 steps of 0.2 s = 20 s of training against 2 s of validation: 9 % of the time.
    expect(simulate(new ValidationCadence(100, 0.2), 400, 0.2, 2)).toEqual([100, 200, 300, 400]);
  });

  it('spaces validations out to keep their share of the time at most the given share', () => {
    // 29 s of validation at a share of 0.2 needs 116 s of training between: 387 steps of 0.3 s, so
    // every fourth multiple of 100.
    const steps = simulate(new ValidationCadence(100, 0.2), 2000, 0.3, 29);
    expect(steps).toEqual([100, 500, 900, 1300, 1700]);
    const validating = steps.length * 29;
    expect(validating / (validating + 2000 * 0.3)).toBeLessThanOrEqual(0.2);
  });

  it('validates the first multiple before it knows what validation costs', () => {
    const cadence = new ValidationCadence(50, 0.2);
    cadence.trained(0.01);
    expect(cadence.due(49)).toBe(false);
    expect(cadence.due(50)).toBe(true);
  });
});
