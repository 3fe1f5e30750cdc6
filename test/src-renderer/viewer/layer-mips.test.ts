import { describe, expect, it } from 'vitest';
import { halfRect, mipLevelFor, mipSizes } from '../../../src-renderer/src/lib/viewer/layer-mips';

describe('layer mip levels', () => {
  it('halves a large layer down to about a screen, and leaves a small one alone', () => {
    expect(mipSizes(8192, 8192)).toEqual([
      { width: 4096, height: 4096 },
      { width: 2048, height: 2048 },
      { width: 1024, height: 1024 },
    ]);
    expect(mipSizes(3001, 900)).toEqual([{ width: 1501, height: 450 }, { width: 751, height: 225 }]);
    expect(mipSizes(1024, 512)).toEqual([]);
  });

  it('draws from the smallest level whose pixels are no larger than a screen pixel', () => {
    expect(mipLevelFor(1, 3)).toBe(0);
    expect(mipLevelFor(0.5, 3)).toBe(0);
    expect(mipLevelFor(0.49, 3)).toBe(1);
    expect(mipLevelFor(0.1, 3)).toBe(3);
    expect(mipLevelFor(0.01, 3)).toBe(3);
    expect(mipLevelFor(0.1, 0)).toBe(0);
  });

  it('maps a changed rect to the half-size rect it touches, within the level', () => {
    expect(halfRect({ x: 3, y: 4, width: 4, height: 1 }, 100, 100)).toEqual({ x: 1, y: 2, width: 3, height: 1 });
    expect(halfRect({ x: 96, y: 0, width: 5, height: 2 }, 101, 10)).toEqual({ x: 48, y: 0, width: 3, height: 1 });
  });
});
