import { describe, expect, it } from 'vitest';
import { outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import { MAX_AUTOMATIC_TILE, medianObjectDiameter, tileForObjectSize } from '../../../src-main/pipeline/tile-for-objects';

describe('the tile for the annotated objects', () => {
  it('measures the median object as the diameter of a disc of its area', () => {
    expect(medianObjectDiameter([Math.PI * 100, 1, Math.PI * 10_000])).toBeCloseTo(20, 9);
    expect(medianObjectDiameter([Math.PI * 25, Math.PI * 49])).toBeCloseTo(2 * Math.sqrt(37), 9);
    expect(medianObjectDiameter([])).toBeNull();
  });

  it("keeps the preset's tile for objects well inside its output (nuclei, ISBI 2012's cells)", () => {
    for (const diameter of [14, 28, 66]) {
      const choice = tileForObjectSize(316, 4, diameter);
      expect(choice.tile).toBe(316);
      expect(choice.reason).toBeUndefined();
    }
    expect(tileForObjectSize(316, 4, null).tile).toBe(316);
  });

  it('grows to the smallest legal tile whose output spans a large object twice (DIC-HeLa: 412)', () => {
    const choice = tileForObjectSize(316, 4, 112);
    expect(choice.tile).toBe(412);
    expect(outputSizeFor(412, 4)).toBeGreaterThanOrEqual(224);
    expect(outputSizeFor(396, 4)).toBeLessThan(224);
    expect(choice.reason).toMatch(/tile 412 \(output 228\) instead of 316: .*112 px across/);
  });

  it("stops at the paper's tile, however large the objects", () => {
    expect(tileForObjectSize(316, 4, 500).tile).toBe(MAX_AUTOMATIC_TILE);
    // Depth 2 steps by 4 px: 120 is the first tile whose output (80) spans 2 x 40.
    expect(tileForObjectSize(92, 2, 40).tile).toBe(120);
    expect(outputSizeFor(120, 2)).toBe(80);
  });
});
