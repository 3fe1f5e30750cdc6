import { UnetError } from '../contract/errors';
import { gaussianBlur } from './gaussian-blur';
import { percentile } from './normalization';
import { assertImageSize, assertLength } from './validate';

/**
 * Matching an image's noise to the training images'. A network trained on clean acquisitions reads a
 * noisier one wrongly (ISBI 2012's slices 15-19 carry about 4x the pixel noise of slices 00-14; a model
 * trained on the clean ones merged their cells). Smoothing such an image just enough to bring its noise
 * down to the training level gave back most of the accuracy (docs/benchmarks.md, "Noise matching").
 */

/** Images larger than this many pixels are measured on their central crop of this area. */
const MEASURE_AREA = 512 * 512;

/**
 * Immerkær's (1996) estimate of the standard deviation of white noise: the mean absolute response of a
 * 3x3 difference-of-Laplacians mask, which cancels smooth structure, scaled for Gaussian noise. For a
 * multi-channel (interleaved) image, the mean over channels. 0 for images under 3x3.
 */
export function estimateNoiseSigma(data: ArrayLike<number>, width: number, height: number, channels = 1): number {
  assertImageSize(width, height);
  assertLength(data, width * height * channels, 'data');
  if (width < 3 || height < 3) return 0;
  const crop = centralCrop(width, height);
  let total = 0;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let y = crop.y0 + 1; y < crop.y0 + crop.height - 1; y++) {
      for (let x = crop.x0 + 1; x < crop.x0 + crop.width - 1; x++) {
        const at = (yy: number, xx: number) => data[(yy * width + xx) * channels + c];
        const v =
          at(y - 1, x - 1) - 2 * at(y - 1, x) + at(y - 1, x + 1)
          - 2 * at(y, x - 1) + 4 * at(y, x) - 2 * at(y, x + 1)
          + at(y + 1, x - 1) - 2 * at(y + 1, x) + at(y + 1, x + 1);
        sum += Math.abs(v);
      }
    }
    total += (Math.sqrt(Math.PI / 2) * sum) / (6 * (crop.width - 2) * (crop.height - 2));
  }
  return total / channels;
}

/** The median of the images' noise estimates: the level a model trained on them knows. */
export function typicalNoiseSigma(images: readonly { data: ArrayLike<number>; width: number; height: number; channels?: number }[]): number {
  if (images.length === 0) throw new UnetError('INVALID_ARGUMENT', 'need at least one image to measure a noise level');
  return percentile(images.map((i) => estimateNoiseSigma(i.data, i.width, i.height, i.channels ?? 1)), 50);
}

export interface NoiseMatchOptions {
  /** Smooth only an image this many times noisier than the target (default 1.5: clearly noisier). */
  tolerance?: number;
  /** The largest Gaussian sigma applied, in pixels (default 2). */
  maxSigma?: number;
}

export interface NoiseMatch {
  /** Gaussian sigma applied (0: the image was left as it is). */
  sigma: number;
  /** Noise estimate before and after. */
  before: number;
  after: number;
  /** The smoothed image (the input itself when sigma is 0). */
  data: Float32Array;
}

/**
 * Smooths an image whose noise is clearly above `target` with the smallest Gaussian that brings its
 * noise estimate down to the target (found by bisection on the measured estimate, which holds for
 * correlated noise too); images at or below the level are returned untouched.
 */
export function matchNoiseLevel(data: Float32Array, width: number, height: number, channels: number, target: number, options: NoiseMatchOptions = {}): NoiseMatch {
  const tolerance = options.tolerance ?? 1.5;
  const maxSigma = options.maxSigma ?? 2;
  if (!(Number.isFinite(target) && target >= 0)) throw new UnetError('INVALID_ARGUMENT', `target noise level must be a finite number >= 0, got ${target}`);
  if (!(tolerance >= 1 && maxSigma > 0 && Number.isFinite(maxSigma))) throw new UnetError('INVALID_ARGUMENT', `need tolerance >= 1 and maxSigma > 0, got ${tolerance}, ${maxSigma}`);
  const before = estimateNoiseSigma(data, width, height, channels);
  if (!(before > tolerance * target) || target === 0) return { sigma: 0, before, after: before, data };
  // Bisection on a crop (the estimate reads a central crop anyway), then one blur of the whole image.
  const crop = centralCrop(width, height);
  const sample = cropOf(data, width, channels, crop);
  const noiseAt = (sigma: number) => estimateNoiseSigma(blurChannels(sample, crop.width, crop.height, channels, sigma), crop.width, crop.height, channels);
  let lo = 0;
  let hi = maxSigma;
  if (noiseAt(hi) > target) lo = hi;
  for (let i = 0; i < 12 && hi - lo > 0.01; i++) {
    const mid = (lo + hi) / 2;
    if (noiseAt(mid) > target) lo = mid;
    else hi = mid;
  }
  const sigma = Math.round(hi * 100) / 100;
  const smoothed = blurChannels(data, width, height, channels, sigma);
  return { sigma, before, after: estimateNoiseSigma(smoothed, width, height, channels), data: smoothed };
}

function blurChannels(data: Float32Array, width: number, height: number, channels: number, sigma: number): Float32Array {
  if (channels === 1) return gaussianBlur(data, width, height, sigma);
  const n = width * height;
  const out = new Float32Array(data.length);
  const plane = new Float32Array(n);
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < n; p++) plane[p] = data[p * channels + c];
    const blurred = gaussianBlur(plane, width, height, sigma);
    for (let p = 0; p < n; p++) out[p * channels + c] = blurred[p];
  }
  return out;
}

interface Crop {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

function centralCrop(width: number, height: number): Crop {
  if (width * height <= MEASURE_AREA) return { x0: 0, y0: 0, width, height };
  const w = Math.min(width, Math.max(Math.sqrt(MEASURE_AREA), Math.floor(MEASURE_AREA / height)));
  const h = Math.min(height, Math.floor(MEASURE_AREA / w));
  return { x0: (width - w) >> 1, y0: (height - h) >> 1, width: w, height: h };
}

function cropOf(data: Float32Array, width: number, channels: number, crop: Crop): Float32Array {
  if (crop.x0 === 0 && crop.y0 === 0 && crop.width === width) return data.subarray(0, crop.width * crop.height * channels);
  const out = new Float32Array(crop.width * crop.height * channels);
  for (let y = 0; y < crop.height; y++) {
    const src = ((crop.y0 + y) * width + crop.x0) * channels;
    out.set(data.subarray(src, src + crop.width * channels), y * crop.width * channels);
  }
  return out;
}
