import { describe, expect, it } from 'vitest';
import type { CurvePoint, RunComparison } from '../../../src-shared/contract/records';
import { validationIouOf } from '../../../src-renderer/src/lib/charts/curve-series';
import { alignRunCurves, comparisonRows } from '../../../src-renderer/src/lib/results/run-comparison';

const p = (step: number, iou?: number): CurvePoint => ({ step, loss: 1, metrics: iou === undefined ? {} : { iou }, elapsedMs: null, recordedAt: '' });

describe('alignRunCurves', () => {
  it('puts runs with different validation steps on one axis with gaps', () => {
    const aligned = alignRunCurves(
      [
        { runId: 1, label: 'a', points: [p(1), p(10, 0.2), p(20, 0.4)] },
        { runId: 2, label: 'b', points: [p(5, 0.1), p(20, 0.5), p(30, 0.6)] },
      ],
      validationIouOf,
    );
    expect(aligned.labels).toEqual(['a', 'b']);
    expect(aligned.columns).toEqual([
      [5, 10, 20, 30],
      [null, 0.2, 0.4, null],
      [0.1, null, 0.5, 0.6],
    ]);
  });

  it('gives empty columns when no run has a value', () => {
    expect(alignRunCurves([{ runId: 1, label: 'a', points: [p(1)] }], validationIouOf).columns).toEqual([[], []]);
  });
});

const cmp: RunComparison = {
  metrics: ['pixelError', 'iou'],
  runs: [
    { runId: 1, name: 'a', status: 'succeeded', mean: { iou: 0.7, pixelError: 0.1 }, count: { iou: 3, pixelError: 3 } },
    { runId: 2, name: 'b', status: 'succeeded', mean: { iou: 0.8, pixelError: 0.2 }, count: { iou: 2, pixelError: 2 } },
    { runId: 3, name: 'c', status: 'failed', mean: { iou: null, pixelError: null }, count: { iou: 0, pixelError: 0 } },
  ],
  images: [
    { imageId: 10, imageName: 'x', values: { '1': { iou: 0.7 }, '2': { iou: 0.9 }, '3': { iou: 0.1 } } },
    { imageId: 11, imageName: 'y', values: { '1': { iou: 0.6 }, '2': { iou: 0.7 } } },
  ],
};

describe('comparisonRows', () => {
  it('marks the best run by the direction of each metric', () => {
    const rows = comparisonRows(cmp);
    expect(rows.map((r) => r.metric)).toEqual(['iou', 'pixelError']);
    expect(rows[0]).toMatchObject({ values: [0.7, 0.8, null], best: 1, counts: [3, 2, 0] });
    expect(rows[1]).toMatchObject({ best: 0, better: 'lower' });
  });

  it('marks no best for a tie', () => {
    const tie = { ...cmp, runs: cmp.runs.map((r) => ({ ...r, mean: { ...r.mean, iou: r.runId === 3 ? 0.5 : 0.8 } })) };
    expect(comparisonRows(tie)[0].best).toBe(-1);
  });

  it('marks no best when only one run has a value', () => {
    const single = { ...cmp, runs: cmp.runs.slice(1) };
    expect(comparisonRows(single)[0].best).toBe(-1);
  });
});
