import { UnetError } from '../contract/errors';
import { assertImageSize, assertLength } from './validate';

/**
 * Separable Gaussian smoothing with the kernel of scipy.ndimage (truncated at 4 sigma, normalised) and
 * edge pixels repeated beyond the border ("nearest", the default of skimage.filters.gaussian), so a
 * threshold computed on the result matches one computed by scikit-image.
 */
export function gaussianBlur(image: ArrayLike<number>, width: number, height: number, sigma: number): Float32Array {
  assertImageSize(width, height);
  assertLength(image, width * height, 'image');
  if (!(Number.isFinite(sigma) && sigma >= 0)) throw new UnetError('INVALID_ARGUMENT', `sigma must be a finite number >= 0, got ${sigma}`);
  const out = Float32Array.from(image as ArrayLike<number>);
  if (sigma === 0) return out;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const line = new Float64Array(Math.max(width, height));
  // Rows, then columns; each line is copied out first so the pass can write in place.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = out[row + x];
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * line[clamp(x + k, width)];
      out[row + x] = sum;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = out[y * width + x];
    for (let y = 0; y < height; y++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * line[clamp(y + k, height)];
      out[y * width + x] = sum;
    }
  }
  return out;
}

/** The normalised 1-D kernel, radius round(4 sigma) as scipy.ndimage.gaussian_filter1d. */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.floor(4 * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp((-0.5 * k * k) / (sigma * sigma));
    kernel[k + radius] = w;
    total += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}
