import { UnetError } from '../contract/errors';
import { createAffineField } from './affine';
import { dihedral, dihedralSize } from './dihedral';
import { addFields, createElasticField } from './elastic-deformation';
import { DEFAULT_INTENSITY_OPTIONS, intensityAugment, type IntensityOptions } from './intensity-augmentation';
import type { Rng } from './rng';
import type { DisplacementField, ImageWindow, TypedArray } from './types';
import { assertImageSize, assertLength, assertPositiveInt, checkedWindow } from './validate';
import { warpImage, warpNearest, type Interpolation } from './warp';

export { createElasticField, createZeroField, addFields } from './elastic-deformation';
export { warpImage, warpNearest } from './warp';
export { dihedral, dihedralInverse, invertDihedral, dihedralSize } from './dihedral';
export { rotate, rotateNearest, shift, createAffineField } from './affine';
export { intensityAugment, DEFAULT_INTENSITY_OPTIONS } from './intensity-augmentation';

/** One training sample: HWC image, class map and loss weights of the same width x height. */
export interface AugmentSample {
  image: Float32Array;
  classMap: Uint8Array;
  weights: Float32Array;
  width: number;
  height: number;
  channels: number;
}

export interface AugmentOptions {
  /** Random elastic deformation (the paper's main augmentation). */
  elastic: boolean;
  /** Std of the grid displacements in pixels (paper: 10). */
  elasticSigma: number;
  /** Nodes per side of the displacement grid (paper: 3). */
  elasticGrid: number;
  /** One of the 8 flips/quarter turns, uniformly. */
  flipsRotations: boolean;
  /** Rotation by a uniform random angle (mirrored borders). */
  rotation: boolean;
  /**
   * Zoom: ln of the scale drawn uniform in [-scaleRange, scaleRange] (0.3: content 0.74x to 1.35x), so one
   * image teaches objects of other sizes. 0 or absent: no zoom, and no random draw for it.
   */
  scaleRange?: number;
  /** Random gamma, contrast, brightness and noise on the image. */
  intensity: boolean;
  /** Ranges of the gray-value variations (default DEFAULT_INTENSITY_OPTIONS). */
  intensityOptions?: IntensityOptions;
  /** Image resampling (labels and weights always use nearest neighbour). Default bicubic. */
  interpolation?: Interpolation;
}

/**
 * The zoom range (ln scale) a new training run draws unless it sets one: none. Zoom within exp(±0.3) tied
 * DSB 2018, the set whose nucleus sizes vary most (SEG 0.652 against 0.650 over three folds, and 0.614
 * against 0.659 over objects: docs/benchmarks.md, "Zoom").
 */
export const RUN_SCALE_RANGE = 0;

export const DEFAULT_AUGMENT_OPTIONS: AugmentOptions = {
  elastic: true,
  elasticSigma: 10,
  elasticGrid: 3,
  flipsRotations: true,
  rotation: true,
  intensity: true,
};

function checkSample(sample: AugmentSample): void {
  assertImageSize(sample.width, sample.height);
  assertPositiveInt(sample.channels, 'channels');
  const n = sample.width * sample.height;
  assertLength(sample.image, n * sample.channels, 'image');
  assertLength(sample.classMap, n, 'classMap');
  assertLength(sample.weights, n, 'weights');
}

/**
 * Augments a sample, deterministically for a given rng state. Order: dihedral transform (exact), then one warp
 * with the superposed rotation, zoom and elastic fields (image bicubic, class map and weights nearest neighbour,
 * all mirrored at the borders), then gray-value variations. Returns new arrays; the input is not modified.
 * With a window (in the frame after the dihedral transform), only that part is warped and returned: a training
 * tile out of the larger region around it, at a fraction of the cost (the gray-value contrast is then about the
 * window's mean).
 * Random draws: k (if flipsRotations), angle (if rotation), ln scale (if scaleRange > 0), elastic grid (if elastic),
 * intensity (if intensity).
 */
export function augmentSample(
  sample: AugmentSample,
  rng: Rng,
  options: AugmentOptions = DEFAULT_AUGMENT_OPTIONS,
  window?: ImageWindow,
): AugmentSample {
  checkSample(sample);
  if (options.elastic && !(options.elasticSigma >= 0 && Number.isFinite(options.elasticSigma))) {
    throw new UnetError('INVALID_ARGUMENT', `elasticSigma must be >= 0, got ${options.elasticSigma}`);
  }
  const scaleRange = options.scaleRange ?? 0;
  if (!(scaleRange >= 0 && Number.isFinite(scaleRange))) throw new UnetError('INVALID_ARGUMENT', `scaleRange must be >= 0, got ${scaleRange}`);
  let { image, classMap, weights, width, height } = sample;
  const { channels } = sample;

  if (options.flipsRotations) {
    const k = rng.int(8);
    image = dihedral(image, width, height, channels, k);
    classMap = dihedral(classMap, width, height, 1, k);
    weights = dihedral(weights, width, height, 1, k);
    ({ width, height } = dihedralSize(width, height, k));
  }

  const part = checkedWindow(width, height, window);
  let field: DisplacementField | null = null;
  const angle = options.rotation ? rng.uniform(0, 2 * Math.PI) : 0;
  const scale = scaleRange > 0 ? Math.exp(rng.uniform(-scaleRange, scaleRange)) : 1;
  if (options.rotation || scaleRange > 0) field = createAffineField(width, height, { angle, scale }, undefined, part);
  if (options.elastic) {
    const elastic = createElasticField(width, height, rng, { gridSize: options.elasticGrid, sigma: options.elasticSigma }, undefined, part);
    field = field ? addFields(field, elastic, field) : elastic;
  }
  if (field) {
    image = warpImage(image, width, height, channels, field, undefined, options.interpolation ?? 'bicubic', part);
    classMap = warpNearest(classMap, width, height, field, undefined, part);
    weights = warpNearest(weights, width, height, field, undefined, part);
  } else if (window) {
    image = cropWindow(image, width, channels, part);
    classMap = cropWindow(classMap, width, 1, part);
    weights = cropWindow(weights, width, 1, part);
  }
  ({ width, height } = part);

  if (options.intensity) {
    // Copy first when nothing above produced a fresh image, so the caller's array stays untouched.
    const target = image === sample.image ? new Float32Array(image.length) : image;
    image = intensityAugment(image, rng, options.intensityOptions ?? DEFAULT_INTENSITY_OPTIONS, target);
  }
  if (image === sample.image) image = image.slice();
  if (classMap === sample.classMap) classMap = classMap.slice();
  if (weights === sample.weights) weights = weights.slice();
  return { image, classMap, weights, width, height, channels };
}

/** The window of an HWC array, copied. */
function cropWindow<T extends TypedArray>(src: T, width: number, channels: number, part: ImageWindow): T {
  const out = new (src.constructor as new (length: number) => T)(part.width * part.height * channels);
  const row = part.width * channels;
  for (let y = 0; y < part.height; y++) {
    const from = ((part.y + y) * width + part.x) * channels;
    out.set(src.subarray(from, from + row) as ArrayLike<number>, y * row);
  }
  return out;
}
