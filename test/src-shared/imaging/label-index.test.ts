import { describe, expect, it } from 'vitest';
import { compactLabels } from '../../../src-shared/imaging/label-index';
import { UnetError } from '../../../src-shared/contract/errors';

describe('compactLabels', () => {
  it('numbers labels 1..count in ascending value order and keeps 0 as none', () => {
    const c = compactLabels(new Uint16Array([0, 9, 3, 9, 0, 500]));
    expect(Array.from(c.index)).toEqual([0, 2, 1, 2, 0, 3]);
    expect(c.count).toBe(3);
    expect(Array.from(c.values)).toEqual([0, 3, 9, 500]);
  });

  it('handles labels too large for a lookup table', () => {
    const c = compactLabels(new Uint32Array([0, 4e9, 7, 4e9]));
    expect(Array.from(c.index)).toEqual([0, 2, 1, 2]);
    expect(Array.from(c.values)).toEqual([0, 7, 4e9]);
  });

  it('handles all-zero input and rejects negative labels', () => {
    expect(compactLabels(new Int32Array(3)).count).toBe(0);
    expect(() => compactLabels(new Int32Array([1, -2]))).toThrow(UnetError);
    expect(() => compactLabels(new Float32Array([1, 2.5]))).toThrow(UnetError);
    expect(() => compactLabels([1, Number.NaN])).toThrow(UnetError);
  });
});
