import { describe, expect, it } from 'vitest';
import {
  extractMirroredTile,
  haloFor,
  isLegalInputSize,
  legalInputSizes,
  mirrorIndex,
  nearestLegalInputSize,
  outputSizeFor,
  planTiles,
  smallestLegalInputSize,
} from '../../../src-shared/imaging/tile-geometry';
import { UnetError } from '../../../src-shared/contract/errors';

describe('U-Net tile sizes', () => {
  it('maps 572 to 388 at depth 4 (the paper)', () => {
    expect(outputSizeFor(572, 4)).toBe(388);
    expect(haloFor(4)).toBe(92);
  });

  it('checks legality by following every layer', () => {
    expect(isLegalInputSize(572, 4)).toBe(true);
    expect(isLegalInputSize(574, 4)).toBe(false); // 570 / 2 = 285, then 281 is odd
    expect(isLegalInputSize(0, 4)).toBe(false);
    expect(isLegalInputSize(-16, 4)).toBe(false);
    expect(isLegalInputSize(572.5, 4)).toBe(false);
    expect(() => outputSizeFor(574, 4)).toThrow(UnetError);
    try {
      outputSizeFor(574, 4);
    } catch (e) {
      expect((e as UnetError).code).toBe('INVALID_ARGUMENT');
    }
    expect(() => outputSizeFor(572, -1)).toThrow(UnetError);
  });

  it('has a halo of (input - output) / 2 for every legal size and depth', () => {
    for (let depth = 0; depth <= 5; depth++) {
      for (const s of legalInputSizes(depth, 1, 700)) {
        expect((s - outputSizeFor(s, depth)) / 2).toBe(haloFor(depth));
      }
    }
  });

  it('lists exactly the legal sizes (brute force)', () => {
    for (let depth = 0; depth <= 5; depth++) {
      const brute: number[] = [];
      for (let s = 1; s <= 600; s++) if (isLegalInputSize(s, depth)) brute.push(s);
      expect(legalInputSizes(depth, 1, 600)).toEqual(brute);
      expect(brute[0]).toBe(smallestLegalInputSize(depth));
    }
    expect(legalInputSizes(4, 500, 600)).toEqual([508, 524, 540, 556, 572, 588]);
  });

  it('finds the largest legal size <= size, else the smallest legal size', () => {
    expect(nearestLegalInputSize(572, 4)).toBe(572);
    expect(nearestLegalInputSize(587, 4)).toBe(572);
    expect(nearestLegalInputSize(588, 4)).toBe(588);
    expect(nearestLegalInputSize(10, 4)).toBe(smallestLegalInputSize(4));
    for (let depth = 0; depth <= 4; depth++) {
      for (let s = 1; s < 400; s++) {
        const legal = nearestLegalInputSize(s, depth);
        expect(isLegalInputSize(legal, depth)).toBe(true);
        if (legal <= s) for (let t = legal + 1; t <= s; t++) expect(isLegalInputSize(t, depth)).toBe(false);
      }
    }
  });
});

describe('planTiles', () => {
  it('covers every pixel exactly once, for many image sizes', () => {
    for (const [w, h] of [
      [1, 1],
      [388, 388],
      [389, 100],
      [1000, 777],
      [50, 1200],
    ]) {
      const plan = planTiles(w, h, 572, 4);
      expect(plan.outputTile).toBe(388);
      expect(plan.halo).toBe(92);
      expect(plan.tiles.length).toBe(plan.cols * plan.rows);
      const count = new Uint8Array(w * h);
      for (const t of plan.tiles) {
        expect(t.inX).toBe(t.outX - 92);
        expect(t.inY).toBe(t.outY - 92);
        expect(t.outW).toBeGreaterThan(0);
        expect(t.outW).toBeLessThanOrEqual(388);
        for (let y = t.outY; y < t.outY + t.outH; y++) for (let x = t.outX; x < t.outX + t.outW; x++) count[y * w + x]++;
      }
      expect(count.every((c) => c === 1)).toBe(true);
    }
  });

  it('rejects illegal tiles and sizes', () => {
    expect(() => planTiles(100, 100, 570, 4)).toThrow(UnetError);
    expect(() => planTiles(0, 100, 572, 4)).toThrow(UnetError);
  });
});

describe('mirrorIndex', () => {
  it('reflects without repeating the edge', () => {
    const n = 4; // 0 1 2 3 -> period 6: ... 1 | 0 1 2 3 | 2 1 0 1 2 3 2 ...
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => mirrorIndex(i, n))).toEqual([
      3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3,
    ]);
    expect(mirrorIndex(-1000001, 1)).toBe(0);
    expect(mirrorIndex(12345, 1)).toBe(0);
    expect(mirrorIndex(-7, 2)).toBe(1);
    expect(mirrorIndex(1e6 + 3, 5)).toBe(mirrorIndex(3, 5));
  });

  it('agrees with an explicit reflect walk far outside', () => {
    const n = 7;
    for (let i = -60; i < 60; i++) {
      let j = i;
      while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
      expect(mirrorIndex(i, n)).toBe(j);
    }
  });
});

describe('extractMirroredTile', () => {
  const w = 3;
  const h = 2;
  // 2 channels: value = 10 * (y * w + x) + c
  const src = new Uint16Array(w * h * 2).map((_, i) => 10 * Math.floor(i / 2) + (i % 2));

  it('copies inside windows and mirrors outside', () => {
    const tile = extractMirroredTile(src, w, h, 2, -1, -1, 5, 4);
    const at = (x: number, y: number, c: number) => tile[(y * 5 + x) * 2 + c];
    // tile (0,0) is image (-1,-1) -> mirrored (1,1) -> pixel 4
    expect(at(0, 0, 0)).toBe(40);
    expect(at(0, 0, 1)).toBe(41);
    expect(at(1, 1, 0)).toBe(0); // image (0,0)
    expect(at(4, 1, 0)).toBe(10); // image (3,0) -> (1,0)
    expect(at(3, 3, 1)).toBe(21); // image (2,2) -> (2,0)
  });

  it('writes into out and checks its length', () => {
    const out = new Float32Array(6 * 2);
    expect(extractMirroredTile(src, w, h, 2, 0, 0, 3, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(src));
    expect(() => extractMirroredTile(src, w, h, 2, 0, 0, 3, 3, out)).toThrow(UnetError);
    expect(() => extractMirroredTile(src, w, h, 3, 0, 0, 3, 2)).toThrow(UnetError);
  });
});
