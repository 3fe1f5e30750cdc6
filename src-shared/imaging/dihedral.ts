import { UnetError } from '../contract/errors';
import type { TypedArray } from './types';
import { assertImageSize, assertLength, assertPositiveInt } from './validate';

/**
 * The 8 symmetries of the square (for test-time averaging and augmentation). Transform k (0..7): first a
 * horizontal flip when k >= 4, then (k mod 4) quarter turns counter-clockwise (as numpy.rot90). Odd k swap width
 * and height: see dihedralSize.
 */

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0 || k > 7) throw new UnetError('INVALID_ARGUMENT', `k must be an integer 0..7, got ${k}`);
}

export function dihedralSize(width: number, height: number, k: number): { width: number; height: number } {
  checkK(k);
  return k % 2 === 1 ? { width: height, height: width } : { width, height };
}

/** The k' with dihedral(dihedral(x, k), k') = x. */
export function invertDihedral(k: number): number {
  checkK(k);
  if (k >= 4) return k; // reflections are their own inverse
  return (4 - k) % 4;
}

/** Source pixel (x, y) of output pixel (ox, oy) under transform k of a width x height image. */
function sourceOf(k: number, width: number, height: number, ox: number, oy: number): [number, number] {
  const turns = k % 4;
  let x = ox;
  let y = oy;
  // Undo the turns from the last to the first; a CCW turn maps out(x, y) <- in(inW - 1 - y, x).
  for (let t = turns - 1; t >= 0; t--) {
    const inW = t % 2 === 0 ? width : height;
    const nx = inW - 1 - y;
    y = x;
    x = nx;
  }
  if (k >= 4) x = width - 1 - x;
  return [x, y];
}

export function dihedral<T extends TypedArray>(
  src: T,
  width: number,
  height: number,
  channels: number,
  k: number,
  out?: T,
): T {
  assertImageSize(width, height);
  assertPositiveInt(channels, 'channels');
  checkK(k);
  const n = width * height * channels;
  assertLength(src, n, 'src');
  const result = out ?? (new (src.constructor as new (length: number) => T)(n));
  assertLength(result, n, 'out');
  if (result === src && k !== 0) throw new UnetError('INVALID_ARGUMENT', 'dihedral cannot work in place');
  const { width: ow, height: oh } = dihedralSize(width, height, k);
  // The source index is affine in (ox, oy): find its origin and steps once.
  const [x00, y00] = sourceOf(k, width, height, 0, 0);
  const [x10, y10] = sourceOf(k, width, height, 1, 0);
  const [x01, y01] = sourceOf(k, width, height, 0, 1);
  const base = (y00 * width + x00) * channels;
  const stepX = ((y10 - y00) * width + (x10 - x00)) * channels;
  const stepY = ((y01 - y00) * width + (x01 - x00)) * channels;
  let o = 0;
  for (let oy = 0; oy < oh; oy++) {
    let s = base + oy * stepY;
    if (channels === 1) {
      for (let ox = 0; ox < ow; ox++, s += stepX) result[o++] = src[s];
    } else {
      for (let ox = 0; ox < ow; ox++, s += stepX) for (let c = 0; c < channels; c++) result[o++] = src[s + c];
    }
  }
  return result;
}

/** Undoes transform k; width and height are those of the transformed array. */
export function dihedralInverse<T extends TypedArray>(
  src: T,
  width: number,
  height: number,
  channels: number,
  k: number,
  out?: T,
): T {
  return dihedral(src, width, height, channels, invertDihedral(k), out);
}
