import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../../src-shared/contract/errors';
import { compactLabels } from '../../../../src-shared/imaging/label-index';
import { contingencyTable } from '../../../../src-shared/imaging/metrics/contingency';

describe('contingencyTable', () => {
  const truth = new Uint16Array([0, 7, 7, 3, 3, 0, 9, 9]);
  const pred = new Int32Array([1, 1, 2, 2, 2, 0, 0, 4]);

  it('counts the same table from a truth compacted beforehand', () => {
    const raw = contingencyTable(truth, pred);
    const compact = contingencyTable(compactLabels(truth), pred);
    expect(compact).toEqual(raw);
    // Truth 7 (compact 2) overlaps predicted 1 and 2 by one pixel each.
    expect(raw.truthValues[2]).toBe(7);
    expect(Array.from(raw.pairCount)).toEqual([2, 1, 1, 1, 1]);
    expect(raw.n).toBe(6);
  });

  it('rejects labellings of different sizes, compacted or not', () => {
    expect(() => contingencyTable(truth, pred.subarray(1))).toThrow(UnetError);
    expect(() => contingencyTable(compactLabels(truth), pred.subarray(1))).toThrow(UnetError);
  });
});
