import { describe, expect, it } from 'vitest';
import { heldOutSplits, validationLikeTest } from '../../scripts/bench/lib/held-out-splits';

const twenty = Array.from({ length: 20 }, (_, i) => i);

describe('bench:paper held-out splits', () => {
  it('validates on the block just before a contiguous test block', () => {
    const [split] = heldOutSplits(twenty, { testFraction: 0.3, spread: false, validationFraction: 0.15, validation: 'like-test' });
    expect(split.test).toEqual([14, 15, 16, 17, 18, 19]);
    expect(split.validation).toEqual([12, 13]);
    expect(split.train).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('leaves validation to the random split when asked', () => {
    const [split] = heldOutSplits(twenty, { testFraction: 0.3, spread: false, validationFraction: 0.15, validation: 'random' });
    expect(split.validation).toEqual([]);
    expect(split.train).toHaveLength(14);
  });

  it('wraps to the end of the order when the test block opens it (folds)', () => {
    const splits = heldOutSplits(twenty, { testFraction: 0.3, folds: 4, spread: false, validationFraction: 0.15, validation: 'like-test' });
    expect(splits[0].test).toEqual([0, 1, 2, 3, 4]);
    expect(splits[0].validation).toEqual([18, 19]);
    expect(splits[2].validation).toEqual([8, 9]);
    for (const s of splits) {
      expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(20);
      expect(s.train.length + s.validation.length + s.test.length).toBe(20);
    }
  });

  it('spreads the validation images when the test is spread', () => {
    const [split] = heldOutSplits(twenty, { testFraction: 0.2, spread: true, validationFraction: 0.15, validation: 'like-test' });
    expect(split.test).toEqual([4, 9, 14, 19]);
    expect(split.validation).toHaveLength(2);
    // Spread: not two neighbours in the training order.
    const positions = split.validation.map((v) => [...split.train, ...split.validation].sort((a, b) => a - b).indexOf(v));
    expect(positions[1] - positions[0]).toBeGreaterThan(1);
  });

  it('always keeps an image to train on', () => {
    expect(validationLikeTest([0, 1, 2], [0], [1, 2], 0.5, false)).toEqual([]);
    expect(validationLikeTest([0, 1, 2], [0, 1], [2], 0.9, false)).toEqual([1]);
  });
});
