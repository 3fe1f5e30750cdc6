import { describe, expect, it } from 'vitest';
import { decideSplit, heldOutCount, seededHoldOut, type SplitCandidate } from '../../../src-main/pipeline/split-rule';

const image = (imageId: number, split: SplitCandidate['split'] = null, annotated = true): SplitCandidate => ({ imageId, split, annotated });
const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('heldOutCount', () => {
  it('holds out about a fifth, at least one of two or more, never all, none of one', () => {
    expect([1, 2, 3, 5, 6, 10, 12].map((n) => heldOutCount(n, 0.2))).toEqual([0, 1, 1, 1, 1, 2, 2]);
    expect(heldOutCount(2, 0.9)).toBe(1);
    expect(heldOutCount(10, 0)).toBe(0);
    expect(heldOutCount(0, 0.2)).toBe(0);
  });
});

describe('seededHoldOut', () => {
  it('is the same split for the same seed, another for another seed, and keeps the input order', () => {
    const a = seededHoldOut(ids(10), 0.2, 5);
    expect(seededHoldOut(ids(10), 0.2, 5)).toEqual(a);
    expect(a.validation).toHaveLength(2);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(ids(10));
    expect(a.train).toEqual([...a.train].sort((x, y) => x - y));
    const others = [6, 7, 8, 9].map((seed) => seededHoldOut(ids(10), 0.2, seed).validation.join());
    expect(others.some((v) => v !== a.validation.join())).toBe(true);
  });
});

describe('decideSplit', () => {
  it('splits the annotated images in no split automatically and leaves the rest out', () => {
    const images = [image(1), image(2), image(3, null, false), image(4), image(5), image(6), image(7, 'test'), image(8)];
    const d = decideSplit(images, 1);
    expect(d.mode).toBe('automatic');
    expect([...d.trainIds, ...d.validationIds].sort()).toEqual([1, 2, 4, 5, 6, 8]);
    expect(d.validationIds).toHaveLength(1);
    expect(d.trainIds).toHaveLength(5);
    expect(decideSplit(images, 1)).toEqual(d);
  });

  it('trains on a single annotated image and validates on none', () => {
    expect(decideSplit([image(1), image(2, null, false)], 3)).toEqual({ mode: 'automatic', trainIds: [1], validationIds: [] });
  });

  it("uses the user's split as it is once any image is in train or validation", () => {
    const d = decideSplit([image(1, 'train'), image(2, 'train', false), image(3, 'validation'), image(4), image(5, 'test')], 1);
    expect(d).toEqual({ mode: 'manual', trainIds: [1], validationIds: [3] });
    // Only validation assigned: still the user's split, with nothing to train on.
    expect(decideSplit([image(1, 'validation'), image(2), image(3)], 1)).toEqual({ mode: 'manual', trainIds: [], validationIds: [1] });
  });
});
