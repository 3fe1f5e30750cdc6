import { UnetError } from '../contract/errors';
import { MAX_UPSCALE } from '../contract/training';
import { assertImageSize, assertLength } from './validate';

export function checkUpscale(factor: unknown, what = 'upscale'): number {
  if (!(typeof factor === 'number' && Number.isInteger(factor) && factor >= 1 && factor <= MAX_UPSCALE)) {
    throw new UnetError('INVALID_ARGUMENT', `${what} must be a whole number from 1 to ${MAX_UPSCALE}, got ${String(factor)}`);
  }
  return factor;
}

/** A model description's `upscale` (absent: 1; or 'auto') must be one the app can apply; else the file is corrupt. */
export function checkRecordedUpscale(value: unknown, file: string): void {
  if (value === undefined || value === 'auto') return;
  try {
    checkUpscale(value);
  } catch (error) {
    throw new UnetError('CORRUPT', `${file}: ${(error as Error).message}`, { file });
  }
}

/**
 * Bilinear enlargement of an HWC image by a whole factor, pixel centres aligned (source x = (x + 0.5) / f - 0.5,
 * clamped at the edges), as image software resizes: a model that sees small objects enlarged places their
 * outlines to a fraction of an original pixel.
 */
export function enlargeImage(data: Float32Array, width: number, height: number, channels: number, factor: number): Float32Array {
  assertImageSize(width, height);
  assertLength(data, width * height * channels, 'image');
  checkUpscale(factor);
  if (factor === 1) return data;
  const W = width * factor;
  const H = height * factor;
  const out = new Float32Array(W * H * channels);
  const x0 = new Int32Array(W);
  const x1 = new Int32Array(W);
  const fx = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const u = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), width - 1);
    x0[x] = Math.floor(u);
    x1[x] = Math.min(x0[x] + 1, width - 1);
    fx[x] = u - x0[x];
  }
  for (let y = 0; y < H; y++) {
    const v = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), height - 1);
    const y0 = Math.floor(v);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = v - y0;
    const r0 = y0 * width;
    const r1 = y1 * width;
    let o = y * W * channels;
    for (let x = 0; x < W; x++) {
      const a = fx[x];
      for (let c = 0; c < channels; c++) {
        const top = data[(r0 + x0[x]) * channels + c] * (1 - a) + data[(r0 + x1[x]) * channels + c] * a;
        const bottom = data[(r1 + x0[x]) * channels + c] * (1 - a) + data[(r1 + x1[x]) * channels + c] * a;
        out[o++] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

type LabelArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/** Labels (classes or object ids) enlarged by a whole factor: each pixel becomes a factor x factor block. */
export function enlargeLabels<T extends LabelArray>(labels: T, width: number, height: number, factor: number): T {
  assertImageSize(width, height);
  assertLength(labels, width * height, 'labels');
  checkUpscale(factor);
  if (factor === 1) return labels;
  const W = width * factor;
  const out = new (labels.constructor as new (n: number) => T)(W * height * factor);
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * factor * W, (y * factor + 1) * W) as T;
    for (let x = 0; x < width; x++) row.fill(labels[y * width + x], x * factor, (x + 1) * factor);
    for (let k = 1; k < factor; k++) out.copyWithin((y * factor + k) * W, y * factor * W, (y * factor + 1) * W);
  }
  return out;
}

/**
 * Planes of an enlarged image (planes x H x W, H and W multiples of the factor) brought back to the original
 * size by averaging each factor x factor block: probabilities stay probabilities.
 */
export function shrinkPlanes(planes: Float32Array, count: number, width: number, height: number, factor: number): Float32Array {
  checkUpscale(factor);
  assertLength(planes, count * width * height, 'planes');
  if (width % factor !== 0 || height % factor !== 0) {
    throw new UnetError('INVALID_ARGUMENT', `a ${width}x${height} plane cannot shrink by ${factor}: not a multiple`);
  }
  if (factor === 1) return planes;
  const w = width / factor;
  const h = height / factor;
  const out = new Float32Array(count * w * h);
  const inv = 1 / (factor * factor);
  for (let k = 0; k < count; k++) {
    const src = k * width * height;
    const dst = k * w * h;
    for (let y = 0; y < height; y++) {
      const o = dst + Math.floor(y / factor) * w;
      const s = src + y * width;
      for (let x = 0; x < width; x++) out[o + Math.floor(x / factor)] += planes[s + x] * inv;
    }
  }
  return out;
}
