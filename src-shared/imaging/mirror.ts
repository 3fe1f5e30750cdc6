import { UnetError } from '../contract/errors';
import { assertImageSize, assertNonNegativeInt, assertPositiveInt, float32Out } from './validate';

/**
 * Reflects index i into [0, n) without repeating the edge pixel (..., 2, 1, | 0, 1, 2, ..., n-1, | n-2, ...),
 * the overlap-tile extrapolation of the paper. Valid for any integer i, however far outside; n = 1 gives 0.
 */
export function mirrorIndex(i: number, n: number): number {
  if (n <= 1) return 0;
  if (i >= 0 && i < n) return i;
  const period = 2 * n - 2;
  const m = ((i % period) + period) % period; // also turns -0 into 0
  return m < n ? m : period - m;
}

/**
 * Copies the tileW x tileH window whose top-left corner is (x0, y0) out of an HWC image, mirroring wherever the
 * window leaves the image. Returns an HWC Float32Array (tileH * tileW * channels), written into `out` when given.
 */
export function extractMirroredTile(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  x0: number,
  y0: number,
  tileW: number,
  tileH: number,
  out?: Float32Array,
): Float32Array {
  assertImageSize(width, height);
  assertPositiveInt(channels, 'channels');
  assertImageSize(tileW, tileH);
  if (!Number.isInteger(x0) || !Number.isInteger(y0)) {
    throw new UnetError('INVALID_ARGUMENT', `tile origin must be integer, got (${x0}, ${y0})`);
  }
  if (src.length !== width * height * channels) {
    throw new UnetError('INVALID_ARGUMENT', `source has ${src.length} values, expected ${width * height * channels}`);
  }
  const result = float32Out(out, tileW * tileH * channels);
  // Column offsets are the same for every row: compute them once.
  const colOffset = new Int32Array(tileW);
  for (let x = 0; x < tileW; x++) colOffset[x] = mirrorIndex(x0 + x, width) * channels;
  let o = 0;
  for (let y = 0; y < tileH; y++) {
    const rowBase = mirrorIndex(y0 + y, height) * width * channels;
    if (channels === 1) {
      for (let x = 0; x < tileW; x++) result[o++] = src[rowBase + colOffset[x]];
    } else {
      for (let x = 0; x < tileW; x++) {
        const s = rowBase + colOffset[x];
        for (let c = 0; c < channels; c++) result[o++] = src[s + c];
      }
    }
  }
  return result;
}

/** Mirror-pads a single-channel image by `pad` pixels on each side (convenience over extractMirroredTile). */
export function mirrorPad(src: ArrayLike<number>, width: number, height: number, pad: number): Float32Array {
  assertNonNegativeInt(pad, 'pad');
  return extractMirroredTile(src, width, height, 1, -pad, -pad, width + 2 * pad, height + 2 * pad);
}
