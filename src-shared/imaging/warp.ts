import { UnetError } from '../contract/errors';
import { mirrorIndex } from './mirror';
import type { DisplacementField, ImageWindow, TypedArray } from './types';
import { assertImageSize, assertLength, assertPositiveInt, checkedWindow } from './validate';

/**
 * Backward warping: out(x, y) = src(x + dx, y + dy). Samples outside the image are mirrored (edge not repeated),
 * as for the overlap tiles. Images by bicubic (default) or bilinear interpolation; labels and weights by nearest
 * neighbour so that no new label values appear. With a window, only that part of the output is computed: the
 * field and the output have the window's size, and out(x, y) = src(window.x + x + dx, window.y + y + dy).
 */
export type Interpolation = 'bicubic' | 'bilinear';

type FieldLike = Pick<DisplacementField, 'dx' | 'dy'>;

function checkField(field: FieldLike, n: number): void {
  if (!field || !field.dx || !field.dy) throw new UnetError('INVALID_ARGUMENT', 'displacement field is missing');
  assertLength(field.dx, n, 'field.dx');
  assertLength(field.dy, n, 'field.dy');
}

export function warpImage(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  field: FieldLike,
  out?: Float32Array,
  interpolation: Interpolation = 'bicubic',
  window?: ImageWindow,
): Float32Array {
  assertImageSize(width, height);
  assertPositiveInt(channels, 'channels');
  assertLength(src, width * height * channels, 'src');
  const part = checkedWindow(width, height, window);
  const n = part.width * part.height;
  checkField(field, n);
  const result = out ?? new Float32Array(n * channels);
  assertLength(result, n * channels, 'out');
  if (result === src) throw new UnetError('INVALID_ARGUMENT', 'warpImage cannot work in place');
  if (interpolation === 'bilinear') warpBilinear(src, width, height, channels, field, result, part);
  else warpBicubic(src, width, height, channels, field, result, part);
  return result;
}

function warpBicubic(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  field: FieldLike,
  out: Float32Array,
  part: ImageWindow,
): void {
  const { dx, dy } = field;
  const xs = new Int32Array(4);
  const ys = new Int32Array(4);
  const rowStride = width * channels;
  const c1 = channels;
  const c2 = 2 * channels;
  const c3 = 3 * channels;
  for (let y = part.y, i = 0; y < part.y + part.height; y++) {
    for (let x = part.x; x < part.x + part.width; x++, i++) {
      const sx = x + dx[i];
      const sy = y + dy[i];
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      // Keys cubic weights (a = -0.5), inlined: this loop is the hot path of the elastic augmentation.
      const tx = sx - ix;
      const tx2 = tx * tx;
      const tx3 = tx2 * tx;
      const wx0 = -0.5 * tx3 + tx2 - 0.5 * tx;
      const wx1 = 1.5 * tx3 - 2.5 * tx2 + 1;
      const wx2 = -1.5 * tx3 + 2 * tx2 + 0.5 * tx;
      const wx3 = 0.5 * tx3 - 0.5 * tx2;
      const ty = sy - iy;
      const ty2 = ty * ty;
      const ty3 = ty2 * ty;
      const wy0 = -0.5 * ty3 + ty2 - 0.5 * ty;
      const wy1 = 1.5 * ty3 - 2.5 * ty2 + 1;
      const wy2 = -1.5 * ty3 + 2 * ty2 + 0.5 * ty;
      const wy3 = 0.5 * ty3 - 0.5 * ty2;
      const o = i * channels;
      if (ix >= 1 && iy >= 1 && ix + 2 < width && iy + 2 < height) {
        // Interior: the 4x4 neighbourhood is a contiguous block.
        let r0 = ((iy - 1) * width + (ix - 1)) * channels;
        for (let c = 0; c < channels; c++, r0++) {
          const r1 = r0 + rowStride;
          const r2 = r1 + rowStride;
          const r3 = r2 + rowStride;
          out[o + c] =
            wy0 * (wx0 * src[r0] + wx1 * src[r0 + c1] + wx2 * src[r0 + c2] + wx3 * src[r0 + c3]) +
            wy1 * (wx0 * src[r1] + wx1 * src[r1 + c1] + wx2 * src[r1 + c2] + wx3 * src[r1 + c3]) +
            wy2 * (wx0 * src[r2] + wx1 * src[r2 + c1] + wx2 * src[r2 + c2] + wx3 * src[r2 + c3]) +
            wy3 * (wx0 * src[r3] + wx1 * src[r3 + c1] + wx2 * src[r3 + c2] + wx3 * src[r3 + c3]);
        }
      } else {
        for (let k = 0; k < 4; k++) {
          xs[k] = mirrorIndex(ix - 1 + k, width) * channels;
          ys[k] = mirrorIndex(iy - 1 + k, height) * rowStride;
        }
        const x0 = xs[0];
        const x1 = xs[1];
        const x2 = xs[2];
        const x3 = xs[3];
        for (let c = 0; c < channels; c++) {
          const r0 = ys[0] + c;
          const r1 = ys[1] + c;
          const r2 = ys[2] + c;
          const r3 = ys[3] + c;
          out[o + c] =
            wy0 * (wx0 * src[r0 + x0] + wx1 * src[r0 + x1] + wx2 * src[r0 + x2] + wx3 * src[r0 + x3]) +
            wy1 * (wx0 * src[r1 + x0] + wx1 * src[r1 + x1] + wx2 * src[r1 + x2] + wx3 * src[r1 + x3]) +
            wy2 * (wx0 * src[r2 + x0] + wx1 * src[r2 + x1] + wx2 * src[r2 + x2] + wx3 * src[r2 + x3]) +
            wy3 * (wx0 * src[r3 + x0] + wx1 * src[r3 + x1] + wx2 * src[r3 + x2] + wx3 * src[r3 + x3]);
        }
      }
    }
  }
}

function warpBilinear(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  field: FieldLike,
  out: Float32Array,
  part: ImageWindow,
): void {
  const { dx, dy } = field;
  for (let y = part.y, i = 0; y < part.y + part.height; y++) {
    for (let x = part.x; x < part.x + part.width; x++, i++) {
      const sx = x + dx[i];
      const sy = y + dy[i];
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const tx = sx - ix;
      const ty = sy - iy;
      const x0 = mirrorIndex(ix, width) * channels;
      const x1 = mirrorIndex(ix + 1, width) * channels;
      const r0 = mirrorIndex(iy, height) * width * channels;
      const r1 = mirrorIndex(iy + 1, height) * width * channels;
      const o = i * channels;
      for (let c = 0; c < channels; c++) {
        const top = src[r0 + x0 + c] + tx * (src[r0 + x1 + c] - src[r0 + x0 + c]);
        const bottom = src[r1 + x0 + c] + tx * (src[r1 + x1 + c] - src[r1 + x0 + c]);
        out[o + c] = top + ty * (bottom - top);
      }
    }
  }
}

/** Nearest-neighbour warp of a single-channel map (labels, weights); the output has the source's type. */
export function warpNearest<T extends TypedArray>(
  src: T,
  width: number,
  height: number,
  field: FieldLike,
  out?: T,
  window?: ImageWindow,
): T {
  assertImageSize(width, height);
  assertLength(src, width * height, 'src');
  const part = checkedWindow(width, height, window);
  const n = part.width * part.height;
  checkField(field, n);
  const result = out ?? (new (src.constructor as new (length: number) => T)(n));
  assertLength(result, n, 'out');
  if (result === src) throw new UnetError('INVALID_ARGUMENT', 'warpNearest cannot work in place');
  const { dx, dy } = field;
  for (let y = part.y, i = 0; y < part.y + part.height; y++) {
    for (let x = part.x; x < part.x + part.width; x++, i++) {
      // floor(v + 0.5): rounds halves up consistently, also for negative coordinates.
      let sx = Math.floor(x + dx[i] + 0.5);
      let sy = Math.floor(y + dy[i] + 0.5);
      if (sx < 0 || sx >= width) sx = mirrorIndex(sx, width);
      if (sy < 0 || sy >= height) sy = mirrorIndex(sy, height);
      result[i] = src[sy * width + sx];
    }
  }
  return result;
}
