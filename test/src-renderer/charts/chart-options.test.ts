import { describe, expect, it } from 'vitest';
import { chartOptions } from '../../../src-renderer/src/lib/charts/chart-options';

describe('chartOptions', () => {
  const spec = { series: [{ label: 'loss', color: '#fff' }, { label: 'val', color: '#f00', points: true, spanGaps: true }], xLabel: 'step', yLabel: 'loss', height: 200 };

  it('has an x series plus one per spec series', () => {
    const o = chartOptions(spec, 500);
    expect(o.series.map((s) => s.label)).toEqual(['step', 'loss', 'val']);
    expect(o.series[2]).toMatchObject({ stroke: '#f00', spanGaps: true, points: { show: true } });
    expect(o.width).toBe(500);
    expect(o.scales?.x?.time).toBe(false);
  });

  it('uses a log scale or a fixed range when asked', () => {
    expect(chartOptions({ ...spec, log: true }, 500).scales?.y?.distr).toBe(3);
    expect(chartOptions({ ...spec, yRange: [0, 1] }, 500).scales?.y?.range).toEqual([0, 1]);
  });

  it('never gets narrower than a readable minimum', () => {
    expect(chartOptions(spec, 0).width).toBe(120);
  });
});

describe('formatTick', () => {
  it('writes ticks compactly and skips the null ticks of log axes', async () => {
    const { formatTick } = await import('../../../src-renderer/src/lib/charts/chart-options');
    expect([0, 0.5, 0.123456, 12345, 0.0001].map(formatTick)).toEqual(['0', '0.5', '0.123', '1e+4', '1e-4']);
    expect(formatTick(null)).toBe('');
    expect(formatTick(NaN)).toBe('');
  });
});

describe('step axis', () => {
  it('ticks only whole steps', async () => {
    const { STEP_INCREMENTS } = await import('../../../src-renderer/src/lib/charts/chart-options');
    expect(STEP_INCREMENTS.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(STEP_INCREMENTS.every(Number.isInteger)).toBe(true);
  });
});
