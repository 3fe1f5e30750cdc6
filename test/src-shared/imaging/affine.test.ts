import { describe, expect, it } from 'vitest';
import { createAffineField, rotate, rotateNearest, shift } from '../../../src-shared/imaging/affine';
import { dihedral } from '../../../src-shared/imaging/dihedral';
import { UnetError } from '../../../src-shared/contract/errors';

describe('affine fields', () => {
  const w = 7;
  const img = new Float32Array(w * w).map((_, i) => (i * 37) % 11);

  it('a quarter turn of a square image equals the exact dihedral turn', () => {
    // Positive angles turn the content clockwise on screen = dihedral k = 3 (three CCW turns).
    expect(Array.from(rotate(img, w, w, 1, Math.PI / 2)).map((v) => Math.round(v * 1e4) / 1e4 + 0)).toEqual(
      Array.from(dihedral(img, w, w, 1, 3)),
    );
    expect(Array.from(rotateNearest(new Uint8Array(img), w, w, -Math.PI / 2))).toEqual(
      Array.from(dihedral(new Uint8Array(img), w, w, 1, 1)),
    );
  });

  it('angle 0 is the identity and a whole-pixel shift moves the content', () => {
    expect(rotate(img, w, w, 1, 0)).toEqual(img);
    const moved = shift(img, w, w, 1, 2, 0);
    for (let y = 0; y < w; y++) for (let x = 2; x < w; x++) expect(moved[y * w + x]).toBeCloseTo(img[y * w + x - 2], 5);
  });

  it('scales about the centre', () => {
    const f = createAffineField(5, 5, { scale: 2 });
    // Output (4, 2) samples the content at centre + (4 - 2) / 2 = 3.
    expect(f.dx[2 * 5 + 4] + 4).toBeCloseTo(3, 6);
    expect(() => createAffineField(5, 5, { scale: 0 })).toThrow(UnetError);
    expect(() => createAffineField(5, 5, { angle: Number.NaN })).toThrow(UnetError);
  });
});
