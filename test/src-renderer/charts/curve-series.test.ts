import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../../../src-shared/contract/records';
import { emaSmooth, mergePoints, progressToPoint, thinPoints, trainingCurves, validationIouOf } from '../../../src-renderer/src/lib/charts/curve-series';

const point = (step: number, loss: number | null, metrics: Record<string, number> = {}): CurvePoint => ({ step, loss, metrics, elapsedMs: step * 100, recordedAt: '' });

describe('trainingCurves', () => {
  it('builds the loss columns on every step and the IoU columns on validated steps only', () => {
    const curves = trainingCurves([point(1, 0.9), point(2, 0.7, { valLoss: 0.8, iou: 0.4 }), point(3, 0.5), point(4, 0.4, { valLoss: 0.6, iou: 0.55 })], 0);
    expect(curves.loss[0]).toEqual([1, 2, 3, 4]);
    expect(curves.loss[1]).toEqual([0.9, 0.7, 0.5, 0.4]);
    expect(curves.loss[2]).toEqual([0.9, 0.7, 0.5, 0.4]);
    expect(curves.loss[3]).toEqual([null, 0.8, null, 0.6]);
    expect(curves.iou).toEqual([
      [2, 4],
      [0.4, 0.55],
    ]);
    expect(curves.hasValidation).toBe(true);
  });

  it('keeps a non-finite loss out of the chart', () => {
    const curves = trainingCurves([point(1, NaN), point(2, 0.5)], 0);
    expect(curves.loss[1]).toEqual([null, 0.5]);
    expect(curves.hasValidation).toBe(false);
    expect(curves.iou).toEqual([[], []]);
  });

  it('reads older metric names', () => {
    expect(validationIouOf(point(1, 1, { valIou: 0.3 }))).toBe(0.3);
    expect(validationIouOf(point(1, 1, { iou: 0.2, valIou: 0.3 }))).toBe(0.2);
  });
});

describe('mergePoints', () => {
  it('merges a validation result into the loss point of the same step and keeps steps sorted', () => {
    const merged = mergePoints([point(1, 0.9), point(3, 0.5)], [point(3, null, { iou: 0.6 }), point(2, 0.7)]);
    expect(merged.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(merged[2]).toMatchObject({ loss: 0.5, metrics: { iou: 0.6 } });
  });
});

describe('progressToPoint', () => {
  it('turns a live progress event into a curve point', () => {
    const p = progressToPoint(
      { runId: 1, step: 10, totalSteps: 100, loss: 0.3, validation: { loss: 0.4, iou: 0.7 }, tilesPerSecond: 2, etaSeconds: 45, elapsedSeconds: 5 },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(p).toEqual({ step: 10, loss: 0.3, metrics: { valLoss: 0.4, iou: 0.7 }, elapsedMs: 5000, recordedAt: '2026-01-01T00:00:00.000Z' });
  });
});

describe('emaSmooth', () => {
  it('is bias-corrected, so the first value is kept', () => {
    const s = emaSmooth([1, 0, null, 0], 0.5);
    expect(s[0]).toBeCloseTo(1);
    // (0.5*0.5*1 + 0.5*0) / (1 - 0.25) = 1/3
    expect(s[1]).toBeCloseTo(1 / 3);
    expect(s[2]).toBeNull();
    expect(s[3]).toBeCloseTo(0.125 / 0.875);
  });

  it('rejects a smoothing outside [0, 1)', () => {
    expect(() => emaSmooth([1], 1)).toThrow(RangeError);
  });
});

describe('thinPoints', () => {
  it('keeps the first and last points', () => {
    const thin = thinPoints([...Array(101).keys()], 11);
    expect(thin).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(thinPoints([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });
});

describe('withSmoothedLoss', () => {
  it('replaces the loss by its moving average and keeps the rest', async () => {
    const { withSmoothedLoss } = await import('../../../src-renderer/src/lib/charts/curve-series');
    const out = withSmoothedLoss([point(1, 1, { iou: 0.1 }), point(2, 0)], 0.5);
    expect(out[0]).toMatchObject({ step: 1, loss: 1, metrics: { iou: 0.1 } });
    expect(out[1].loss).toBeCloseTo(1 / 3);
  });
});
