import { describe, expect, it } from 'vitest';
import { dihedral, dihedralInverse, dihedralSize, invertDihedral } from '../../../src-shared/imaging/dihedral';
import { UnetError } from '../../../src-shared/contract/errors';

// 3 wide, 2 high:  1 2 3
//                  4 5 6
const img = new Uint8Array([1, 2, 3, 4, 5, 6]);

describe('dihedral', () => {
  it('k = 1 is a counter-clockwise quarter turn (numpy.rot90)', () => {
    expect(Array.from(dihedral(img, 3, 2, 1, 1))).toEqual([3, 6, 2, 5, 1, 4]);
    expect(dihedralSize(3, 2, 1)).toEqual({ width: 2, height: 3 });
  });

  it('k = 2 is a half turn, k = 4 a horizontal flip, k = 6 a vertical flip', () => {
    expect(Array.from(dihedral(img, 3, 2, 1, 2))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(Array.from(dihedral(img, 3, 2, 1, 4))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(dihedral(img, 3, 2, 1, 6))).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it('gives 8 different results, each undone by its inverse, also with channels', () => {
    const rgb = new Float32Array(3 * 4 * 3).map((_, i) => i);
    const seen = new Set<string>();
    for (let k = 0; k < 8; k++) {
      const t = dihedral(rgb, 4, 3, 3, k);
      seen.add(Array.from(t).join(','));
      const { width, height } = dihedralSize(4, 3, k);
      expect(Array.from(dihedralInverse(t, width, height, 3, k))).toEqual(Array.from(rgb));
      expect(dihedral(dihedral(t, width, height, 3, invertDihedral(k)), 4, 3, 3, k)).toEqual(t);
    }
    expect(seen.size).toBe(8);
  });

  it('applied twice, a flip is the identity; four quarter turns are the identity', () => {
    expect(dihedral(dihedral(img, 3, 2, 1, 5), 2, 3, 1, 5)).toEqual(img);
    let t: Uint8Array = img;
    let w = 3;
    let h = 2;
    for (let i = 0; i < 4; i++) {
      t = dihedral(t, w, h, 1, 1);
      [w, h] = [h, w];
    }
    expect(t).toEqual(img);
  });

  it('keeps the array type and rejects bad k or in-place use', () => {
    expect(dihedral(new Int32Array(6), 3, 2, 1, 3)).toBeInstanceOf(Int32Array);
    expect(() => dihedral(img, 3, 2, 1, 8)).toThrow(UnetError);
    expect(() => dihedral(img, 3, 2, 1, 1, img)).toThrow(UnetError);
    expect(() => dihedral(img, 3, 3, 1, 1)).toThrow(UnetError);
  });
});
