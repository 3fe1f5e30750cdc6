import { describe, expect, it } from 'vitest';
import {
  balancedClassWeights,
  borderCutoffDistance,
  borderWeightTerm,
  classWeightsFor,
  weightMap,
} from '../../../src-shared/imaging/weight-map';
import { createRng } from '../../../src-shared/imaging/rng';
import { UnetError } from '../../../src-shared/contract/errors';

/** 9x5 image: background everywhere, square A (id 1) at x 1..3, square B (id 2) at x 5..7, rows 1..3. */
function twoSquares(): { classMap: Uint8Array; instances: Uint16Array } {
  const w = 9;
  const classMap = new Uint8Array(45).fill(1);
  const instances = new Uint16Array(45);
  for (let y = 1; y <= 3; y++) {
    for (let x = 1; x <= 3; x++) {
      classMap[y * w + x] = 2;
      instances[y * w + x] = 1;
      classMap[y * w + x + 4] = 2;
      instances[y * w + x + 4] = 2;
    }
  }
  return { classMap, instances };
}

describe('classWeightsFor', () => {
  it('balances class frequencies so the mean weight over labelled pixels is 1', () => {
    const { classMap } = twoSquares();
    const wc = classWeightsFor(classMap);
    expect(wc[0]).toBe(0);
    expect(wc[1]).toBeCloseTo(45 / (2 * 27), 12);
    expect(wc[2]).toBeCloseTo(45 / (2 * 18), 12);
    expect(27 * wc[1] + 18 * wc[2]).toBeCloseTo(45, 10);
  });

  it('balances from class counts alone, as the annotation view keeps them', () => {
    const counts = new Float64Array(256);
    counts[0] = 5;
    counts[1] = 27;
    counts[2] = 18;
    const wc = balancedClassWeights(counts);
    expect(wc).toEqual(classWeightsFor(twoSquares().classMap));
    expect(wc[0]).toBe(0);
    expect(wc[3]).toBe(0);
  });

  it('takes fixed weights by class id and rejects missing or bad entries', () => {
    const classMap = new Uint8Array([0, 1, 2, 3]);
    const wc = classWeightsFor(classMap, [99, 1, 2, 3]);
    expect(Array.from(wc.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(() => classWeightsFor(classMap, [0, 1, 2])).toThrow(UnetError);
    expect(() => classWeightsFor(classMap, [0, 1, -2, 3])).toThrow(UnetError);
  });
});

describe('weightMap', () => {
  const w0 = 10;
  const sigma = 5;
  const term = (d1: number, d2: number) => w0 * Math.exp(-((d1 + d2) ** 2) / (2 * sigma * sigma));

  it('peaks on the separating line of two squares at w_c + w0 exp(-(1+1)^2 / 2 sigma^2)', () => {
    const { classMap, instances } = twoSquares();
    const wm = weightMap(classMap, instances, 9, 5);
    const wc1 = 45 / 54;
    const wc2 = 45 / 36;
    expect(wm[2 * 9 + 4]).toBeCloseTo(wc1 + term(1, 1), 5);
    expect(wm[0 * 9 + 4]).toBeCloseTo(wc1 + term(Math.SQRT2, Math.SQRT2), 5);
    expect(wm[2 * 9 + 0]).toBeCloseTo(wc1 + term(1, 5), 5);
    expect(wm[0]).toBeCloseTo(wc1 + term(Math.SQRT2, Math.sqrt(25 + 1)), 5);
    // Objects get no border term.
    expect(wm[2 * 9 + 2]).toBeCloseTo(wc2, 6);
    // The maximum lies on the separating line.
    let best = 0;
    for (let i = 1; i < wm.length; i++) if (wm[i] > wm[best]) best = i;
    expect(best % 9).toBe(4);
  });

  it('gives unlabeled pixels weight 0 and ignores them for the class balance', () => {
    const { classMap, instances } = twoSquares();
    classMap[4] = 0;
    const wm = weightMap(classMap, instances, 9, 5);
    expect(wm[4]).toBe(0);
    expect(wm[2 * 9 + 2]).toBeCloseTo(44 / 36, 6);
  });

  it('has no border term with a single object or w0 = 0', () => {
    const { classMap, instances } = twoSquares();
    instances.forEach((v, i) => {
      if (v === 2) instances[i] = 1;
    });
    const wm = weightMap(classMap, instances, 9, 5);
    expect(wm[2 * 9 + 4]).toBeCloseTo(45 / 54, 6);
    const two = twoSquares();
    expect(weightMap(two.classMap, two.instances, 9, 5, { w0: 0 })[2 * 9 + 4]).toBeCloseTo(45 / 54, 6);
  });

  it('matches a brute-force d1/d2 on random objects with any id values', () => {
    const rng = createRng(21);
    const w = 48;
    const h = 40;
    for (let trial = 0; trial < 3; trial++) {
      const instances = new Uint32Array(w * h);
      const ids = [7, 1000, 3, 65536 * 3, 42, 9];
      for (const id of ids) {
        const cx = rng.int(w);
        const cy = rng.int(h);
        const r = 2 + rng.int(5);
        for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++)
          for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++)
            if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) instances[y * w + x] = id;
      }
      const classMap = new Uint8Array(w * h).map((_, i) => (instances[i] ? 2 : 1));
      const sig = 3;
      const got = borderWeightTerm(classMap, instances, w, h, { w0: 10, sigma: sig });
      const present = Array.from(new Set(instances)).filter((v) => v !== 0);
      for (let i = 0; i < w * h; i++) {
        if (classMap[i] !== 1) {
          expect(got[i]).toBe(0);
          continue;
        }
        const ds = present.map((id) => {
          let best = Infinity;
          for (let j = 0; j < w * h; j++)
            if (instances[j] === id) best = Math.min(best, ((i % w) - (j % w)) ** 2 + (Math.floor(i / w) - Math.floor(j / w)) ** 2);
          return Math.sqrt(best);
        });
        ds.sort((a, b) => a - b);
        const ref = ds.length >= 2 ? 10 * Math.exp(-((ds[0] + ds[1]) ** 2) / (2 * sig * sig)) : 0;
        if (ds.length >= 2 && ds[0] + ds[1] <= borderCutoffDistance(sig)) expect(got[i]).toBeCloseTo(ref, 5);
        else {
          expect(got[i]).toBe(0);
          expect(ref).toBeLessThan(10 * 1e-6 + 1e-12);
        }
      }
    }
  });

  it('rejects mismatched sizes and bad options', () => {
    const { classMap, instances } = twoSquares();
    expect(() => weightMap(classMap, instances, 9, 4)).toThrow(UnetError);
    expect(() => weightMap(classMap, instances, 9, 5, { sigma: 0 })).toThrow(UnetError);
    expect(() => weightMap(classMap, instances, 9, 5, { w0: -1 })).toThrow(UnetError);
    expect(() => weightMap(classMap, new Int32Array(45).fill(-1), 9, 5)).toThrow(UnetError);
  });
});
