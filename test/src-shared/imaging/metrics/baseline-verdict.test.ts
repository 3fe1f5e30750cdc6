import { describe, expect, it } from 'vitest';
import { baselineVerdict } from '../../../../src-shared/imaging/metrics/baseline-verdict';

describe('baselineVerdict', () => {
  it('says plainly when the model does not beat the threshold', () => {
    const v = baselineVerdict({ iou: 0.7, seg: 0.6 }, { iou: 0.71, seg: 0.5 });
    expect(v?.beats).toBe(false);
    expect(v?.notBeaten).toEqual(['iou']);
    expect(v?.text).toBe('The model does not beat an Otsu threshold on these images: IoU 0.700 vs 0.710 (it is ahead on SEG 0.600 vs 0.500).');
  });

  it('says so when the model beats it on every metric compared; a tie does not beat', () => {
    expect(baselineVerdict({ iou: 0.8, seg: 0.6, ap50: 0.5 }, { iou: 0.7, seg: 0.5, ap50: 0.4 })?.text).toBe(
      'The model beats an Otsu threshold on these images: IoU 0.800 vs 0.700, SEG 0.600 vs 0.500, AP50 0.500 vs 0.400.',
    );
    expect(baselineVerdict({ iou: 0.7 }, { iou: 0.7 })?.beats).toBe(false);
  });

  it('compares only metrics both have, and gives nothing when there are none', () => {
    expect(baselineVerdict({ iou: 0.9, seg: null }, { iou: 0.5, seg: 0.4 })?.compared).toEqual(['iou']);
    expect(baselineVerdict({ iou: null }, { iou: 0.5 })).toBeNull();
  });
});
