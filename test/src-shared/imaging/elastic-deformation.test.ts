import { describe, expect, it } from 'vitest';
import { addFields, createElasticField, createZeroField } from '../../../src-shared/imaging/elastic-deformation';
import { createRng } from '../../../src-shared/imaging/rng';
import { warpImage } from '../../../src-shared/imaging/warp';
import { UnetError } from '../../../src-shared/contract/errors';

describe('createElasticField', () => {
  it('is deterministic for a seed', () => {
    const a = createElasticField(40, 30, createRng(1));
    const b = createElasticField(40, 30, createRng(1));
    const c = createElasticField(40, 30, createRng(2));
    expect(a.dx).toEqual(b.dx);
    expect(a.dy).toEqual(b.dy);
    expect(a.dx).not.toEqual(c.dx);
  });

  it('puts the grid draws on the nodes (corners and centre) and is smooth between them', () => {
    const rng = createRng(3);
    const draws = Array.from({ length: 18 }, () => 10 * rng.normal());
    const f = createElasticField(41, 21, createRng(3));
    // Node (i, j) at x = 20 i, y = 10 j; draws alternate dx, dy in raster order of nodes.
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        const k = j * 3 + i;
        expect(f.dx[10 * j * 41 + 20 * i]).toBeCloseTo(draws[2 * k], 4);
        expect(f.dy[10 * j * 41 + 20 * i]).toBeCloseTo(draws[2 * k + 1], 4);
      }
    }
    let maxStep = 0;
    for (let y = 0; y < 21; y++) for (let x = 1; x < 41; x++) maxStep = Math.max(maxStep, Math.abs(f.dx[y * 41 + x] - f.dx[y * 41 + x - 1]));
    expect(maxStep).toBeLessThan(5);
  });

  it('has the requested spread: node displacements have std sigma', () => {
    const rng = createRng(4);
    let s2 = 0;
    const n = 400;
    for (let t = 0; t < n; t++) {
      const f = createElasticField(9, 9, rng, { sigma: 10, gridSize: 3 });
      s2 += f.dx[0] ** 2 + f.dy[80] ** 2;
    }
    expect(Math.sqrt(s2 / (2 * n))).toBeGreaterThan(9);
    expect(Math.sqrt(s2 / (2 * n))).toBeLessThan(11);
  });

  it('with sigma 0 gives the identity warp', () => {
    const img = new Float32Array(12 * 10).map((_, i) => Math.sin(i));
    const f = createElasticField(12, 10, createRng(5), { sigma: 0 });
    expect(warpImage(img, 12, 10, 1, f)).toEqual(img);
  });

  it('rejects bad options and adds fields', () => {
    expect(() => createElasticField(10, 10, createRng(1), { gridSize: 1 })).toThrow(UnetError);
    expect(() => createElasticField(10, 10, createRng(1), { sigma: -1 })).toThrow(UnetError);
    const a = createZeroField(2, 1);
    a.dx.set([1, 2]);
    const s = addFields(a, a);
    expect(Array.from(s.dx)).toEqual([2, 4]);
    expect(() => addFields(a, createZeroField(1, 2))).toThrow(UnetError);
  });
});
