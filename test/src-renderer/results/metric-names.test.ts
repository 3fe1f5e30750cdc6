import { describe, expect, it } from 'vitest';
import { formatMetric, mainIouMetric, metricMeta, orderMetrics } from '../../../src-renderer/src/lib/results/metric-names';

describe('metric names', () => {
  it('labels known metrics, per-class variants and unknown ones', () => {
    expect(metricMeta('iou').label).toBe('IoU');
    expect(metricMeta('vRand').label).toBe('V_rand');
    expect(metricMeta('pixel_error')).toMatchObject({ label: 'Pixel error', better: 'lower' });
    expect(metricMeta('iou:2').label).toBe('IoU (class 2)');
    expect(metricMeta('myLoss')).toMatchObject({ label: 'myLoss', better: 'lower' });
    expect(metricMeta('coverage').better).toBe('higher');
  });

  it('orders the paper metrics first', () => {
    expect(orderMetrics(['zeta', 'ap50', 'pixelError', 'iou:2', 'iou', 'seg'])).toEqual(['iou', 'iou:2', 'seg', 'pixelError', 'ap50', 'zeta']);
  });

  it('picks the foreground IoU as the main one', () => {
    expect(mainIouMetric(['iou:2', 'seg', 'iou'])).toBe('iou');
    expect(mainIouMetric(['iou:3', 'seg'])).toBe('iou:3');
    expect(mainIouMetric(['seg'])).toBeUndefined();
  });

  it('formats values with four decimals, tiny ones in scientific notation', () => {
    expect(formatMetric(0.92031)).toBe('0.9203');
    expect(formatMetric(0.000353)).toBe('3.53e-4');
    expect(formatMetric(0)).toBe('0.0000');
    expect(formatMetric(null)).toBe('—');
  });
});
