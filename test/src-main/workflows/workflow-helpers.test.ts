import { describe, expect, it } from 'vitest';
import { checkDistinctNames, shardOf } from '../../../src-main/workflows/segment-files';
import { splitPairs } from '../../../src-main/workflows/train-from-folders';

describe('shardOf', () => {
  it('cuts a list into N contiguous slices that cover it exactly once', () => {
    const list = Array.from({ length: 10 }, (_, i) => i);
    for (const n of [1, 3, 4, 10, 13]) {
      const parts = Array.from({ length: n }, (_, i) => shardOf(list, i + 1, n));
      expect(parts.flat()).toEqual(list);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardOf(list, 2, 3)).toEqual([3, 4, 5]);
    expect(() => shardOf(list, 0, 3)).toThrow(/I\/N/);
    expect(() => shardOf(list, 4, 3)).toThrow(/I\/N/);
  });

  it('refuses inputs that would write the same output file', () => {
    expect(() => checkDistinctNames(['/a/x.png', '/b/x.tif'])).toThrow(/same output name/);
    expect(() => checkDistinctNames(['/a/x.png', '/a/y.png'])).not.toThrow();
  });
});

describe('splitPairs', () => {
  const pairs = Array.from({ length: 10 }, (_, i) => ({ name: `${i}.png`, image: `/i/${i}.png`, mask: `/m/${i}.png` }));

  it('holds out round(f * n) pairs, the same ones for the same seed', () => {
    const a = splitPairs(pairs, 0.2, 5);
    const b = splitPairs(pairs, 0.2, 5);
    expect(a.validation).toHaveLength(2);
    expect(a.train).toHaveLength(8);
    expect(a.validation).toEqual(b.validation);
    expect(new Set([...a.train, ...a.validation].map((p) => p.name)).size).toBe(10);
    expect(splitPairs(pairs, 0.2, 6).validation).not.toEqual(a.validation);
  });

  it('keeps at least one pair on each side, and none for validation with fraction 0 or one pair', () => {
    expect(splitPairs(pairs.slice(0, 2), 0.1, 1).validation).toHaveLength(1);
    expect(splitPairs(pairs.slice(0, 2), 0.9, 1).train).toHaveLength(1);
    expect(splitPairs(pairs.slice(0, 1), 0.5, 1).validation).toHaveLength(0);
    expect(splitPairs(pairs, 0, 1).validation).toHaveLength(0);
  });
});
