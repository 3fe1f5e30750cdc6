import { describe, expect, it } from 'vitest';
import type { EvaluationTable } from '../../../src-shared/contract/records';
import { buildMetricsTable, describeBaseline, meanOf, splitsIn } from '../../../src-renderer/src/lib/results/metrics-table';

const table: EvaluationTable = {
  runId: 1,
  metrics: ['pixelError', 'seg', 'iou'],
  rows: [
    { imageId: 1, imageName: 'img10.png', split: 'validation', values: { iou: 0.8, seg: 0.7, pixelError: 0.1 } },
    { imageId: 2, imageName: 'img2.png', split: 'validation', values: { iou: 0.6, seg: null, pixelError: 0.2 } },
    { imageId: 3, imageName: 'img3.png', split: 'test', values: { iou: 0.9, seg: 0.5, pixelError: 0.05 } },
  ],
  mean: {},
  count: {},
};

describe('meanOf', () => {
  it('averages defined values only', () => {
    expect(meanOf(table.rows, 'seg')).toEqual({ mean: 0.6, count: 2 });
    expect(meanOf(table.rows, 'missing')).toEqual({ mean: null, count: 0 });
  });
});

describe('buildMetricsTable', () => {
  it('orders metrics as the paper does and averages all rows', () => {
    const m = buildMetricsTable(table);
    expect(m.metrics).toEqual(['iou', 'seg', 'pixelError']);
    expect(m.mean.iou).toBeCloseTo((0.8 + 0.6 + 0.9) / 3);
    expect(m.count).toEqual({ iou: 3, seg: 2, pixelError: 3 });
  });

  it('recomputes the means over the split shown', () => {
    const m = buildMetricsTable(table, 'validation');
    expect(m.rows.map((r) => r.imageId)).toEqual([2, 1]);
    expect(m.mean.iou).toBeCloseTo(0.7);
    expect(m.mean.seg).toBeCloseTo(0.7);
    expect(m.count.seg).toBe(1);
  });

  it('sorts names naturally and values with missing ones last', () => {
    expect(buildMetricsTable(table).rows.map((r) => r.imageName)).toEqual(['img2.png', 'img3.png', 'img10.png']);
    expect(buildMetricsTable(table, 'all', { key: 'seg', descending: false }).rows.map((r) => r.imageId)).toEqual([3, 1, 2]);
    expect(buildMetricsTable(table, 'all', { key: 'seg', descending: true }).rows.map((r) => r.imageId)).toEqual([1, 3, 2]);
  });

  it('does not reorder the table it was given', () => {
    buildMetricsTable(table, 'all', { key: 'iou', descending: true });
    expect(table.rows.map((r) => r.imageId)).toEqual([1, 2, 3]);
  });
});

describe('splitsIn', () => {
  it('lists the splits present in canonical order', () => {
    expect(splitsIn(table)).toEqual(['validation', 'test']);
  });
});

describe('buildMetricsTable with the Otsu baseline', () => {
  const withBaseline: EvaluationTable = {
    ...table,
    rows: [
      { ...table.rows[0], baseline: { iou: 0.85, seg: 0.6 } },
      { ...table.rows[1] },
      { ...table.rows[2], baseline: { iou: 0.7, seg: 0.6 } },
    ],
    baseline: { method: 'otsu', settings: { sigma: 1, polarity: 'bright', rule: 'training annotations' }, mean: {}, count: {} },
  };

  it('averages the baseline over the rows shown and compares the model on the same images', () => {
    const m = buildMetricsTable(withBaseline);
    expect(m.baseline?.mean.iou).toBeCloseTo((0.85 + 0.7) / 2);
    expect(m.baseline?.count.iou).toBe(2);
    // Model on the same two images: IoU 0.85 vs 0.775 (ahead), SEG 0.6 vs 0.6 (a tie does not beat).
    expect(m.baseline?.verdict?.beats).toBe(false);
    expect(m.baseline?.verdict?.notBeaten).toEqual(['seg']);
    const validation = buildMetricsTable(withBaseline, 'validation');
    expect(validation.baseline?.count.iou).toBe(1);
    expect(validation.baseline?.verdict?.text).toMatch(/does not beat an Otsu threshold.*IoU 0\.800 vs 0\.850/);
  });

  it('has no baseline row when the table has none', () => {
    expect(buildMetricsTable(table).baseline).toBeUndefined();
  });

  it('describes how the baseline was computed', () => {
    expect(describeBaseline({ sigma: 1, polarity: 'dark', rule: 'training annotations' })).toBe('Otsu threshold (Gaussian σ 1, dark foreground, by the training annotations)');
    expect(describeBaseline({ sigma: 1, polarity: 'bright', rule: 'minority' })).toBe('Otsu threshold (Gaussian σ 1, bright foreground, by the minority rule)');
  });
});
