import { describe, expect, it } from 'vitest';
import { referenceObjectCount, segOverObjects } from '../../scripts/bench/lib/seg-over-objects';

describe('bench:paper SEG over objects', () => {
  it('weighs each image by its reference objects', () => {
    // Per-image mean: (0.9 + 0.3) / 2 = 0.6; over objects: (0.9 * 3 + 0.3 * 9) / 12 = 0.45.
    expect(segOverObjects([{ seg: 0.9, objects: 3 }, { seg: 0.3, objects: 9 }])).toBeCloseTo(0.45, 12);
  });

  it('skips images without a score or without objects, and is null with none left', () => {
    expect(segOverObjects([{ seg: null, objects: 4 }, { seg: 0.5, objects: 2 }, { seg: Number.NaN, objects: 1 }, { seg: 0.1, objects: 0 }])).toBe(0.5);
    expect(segOverObjects([{ seg: undefined, objects: 3 }])).toBeNull();
  });

  it('counts instance labels, or the foreground components of an annotation without instances', () => {
    const w = 6;
    const classMap = new Uint8Array([2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 0]);
    expect(referenceObjectCount(classMap, new Uint32Array(18), w, 3)).toBe(3);
    const instances = new Uint32Array(18);
    instances[0] = 7;
    instances[1] = 9;
    instances[4] = 7;
    expect(referenceObjectCount(classMap, instances, w, 3)).toBe(2);
  });
});
