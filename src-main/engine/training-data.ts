import { UnetError } from '../../src-shared/contract/errors';
import { augmentSample, DEFAULT_INTENSITY_OPTIONS, type AugmentOptions } from '../../src-shared/imaging/augmentation';
import { enlargeImage, enlargeLabels } from '../../src-shared/imaging/enlarge';
import { extractMirroredTile } from '../../src-shared/imaging/mirror';
import type { Rng } from '../../src-shared/imaging/rng';
import { withBorderClass } from '../../src-shared/imaging/border-class';
import { separationBorders } from '../../src-shared/imaging/separation-borders';
import { balancedClassWeights, weightMap } from '../../src-shared/imaging/weight-map';
import type { ClassWeighting, TileSampling, Upscale } from '../../src-shared/contract/training';
import { objectsOf, medianObjectDiameter, upscaleForDiameter } from '../../src-shared/imaging/object-size';
import { maxOf, pickTileCentre } from './tile-centres';
import type { AugmentationConfig } from './train-config';

/** One annotated image as the trainer receives it. */
export interface TrainingSample {
  id: string;
  /** Normalised image, HWC. */
  image: Float32Array;
  width: number;
  height: number;
  channels: number;
  /** 0 = unlabeled (ignored), 1 = background, 2.. = classes. */
  classMap: Uint8Array;
  /** 0 = none, 1.. = object id. */
  instanceMap: Uint16Array | Uint32Array;
}

/** A sample ready for training: separation gaps applied, weight map computed once. */
export interface PreparedSample extends Omit<TrainingSample, 'classMap' | 'instanceMap'> {
  /** Training target: the painted classes with separation gaps between touching objects. */
  classMap: Uint8Array;
  /** The classes as painted, what validation scores against. */
  paintedClassMap: Uint8Array;
  weights: Float32Array;
  labelled: number;
  /** Largest loss weight (tile centres drawn in proportion to the weight need it). */
  maxWeight: number;
}

export function checkSample(s: TrainingSample, numClasses?: number): void {
  const n = s.width * s.height;
  if (!Number.isInteger(s.width) || !Number.isInteger(s.height) || s.width <= 0 || s.height <= 0) {
    throw new UnetError('INVALID_ARGUMENT', `sample ${s.id}: bad size ${s.width}x${s.height}`);
  }
  if (!(s.image instanceof Float32Array) || s.image.length !== n * s.channels) {
    throw new UnetError('INVALID_ARGUMENT', `sample ${s.id}: image must be a Float32Array of ${n * s.channels} values`);
  }
  if (!(s.classMap instanceof Uint8Array) || s.classMap.length !== n) {
    throw new UnetError('INVALID_ARGUMENT', `sample ${s.id}: classMap must be a Uint8Array of ${n} values`);
  }
  if (!(s.instanceMap instanceof Uint16Array || s.instanceMap instanceof Uint32Array) || s.instanceMap.length !== n) {
    throw new UnetError('INVALID_ARGUMENT', `sample ${s.id}: instanceMap must be a Uint16Array or Uint32Array of ${n} values`);
  }
  if (numClasses !== undefined) {
    const max = maxClass(s.classMap);
    if (max >= numClasses) throw new UnetError('INVALID_ARGUMENT', `sample ${s.id} uses class ${max}, but the model has ${numClasses} classes`);
  }
  for (let i = 0; i < s.image.length; i++) {
    if (!Number.isFinite(s.image[i])) throw new UnetError('INVALID_ARGUMENT', `sample ${s.id}: image value ${i} is not finite`);
  }
}

/** How many times a sample is enlarged: the config's factor, or for 'auto' as its annotated objects' median size asks. */
export function trainingUpscale(s: TrainingSample, upscale: Upscale): number {
  if (upscale !== 'auto') return upscale;
  return upscaleForDiameter(medianObjectDiameter(objectsOf(s.classMap, s.instanceMap, s.width, s.height)));
}

/** Bytes a prepared pixel holds (image, weights, target and painted classes), twice: the tile worker has a copy. */
const PREPARED_BYTES_PER_PIXEL = 2 * (4 + 4 + 1 + 1);

/**
 * Refuses to enlarge training images into more memory than half the machine has, with the sizes in the
 * message; a factor of 4 makes a 2048 x 2048 image 64 megapixels.
 */
export function checkEnlargedSize(samples: readonly TrainingSample[], factors: readonly number[], totalBytes: number): void {
  // Images as they are were never refused for their size here; only an enlargement is.
  if (factors.every((f) => f === 1)) return;
  let bytes = 0;
  samples.forEach((s, i) => (bytes += s.width * s.height * s.channels * factors[i] * factors[i] * PREPARED_BYTES_PER_PIXEL));
  if (bytes > totalBytes / 2) {
    const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
    throw new UnetError('TOO_LARGE', `enlarged as asked (up to ${Math.max(...factors)} times), the training images would need ${gib(bytes)} GiB of the machine's ${gib(totalBytes)} GiB: enlarge them less, or by object size (auto)`, {
      bytes,
      totalBytes,
    });
  }
}

/** A sample enlarged `factor` times (config.upscale): the image bilinear, its classes and objects as blocks. */
export function enlargeSample(s: TrainingSample, factor: number): TrainingSample {
  if (factor === 1) return s;
  return {
    ...s,
    image: enlargeImage(s.image, s.width, s.height, s.channels, factor),
    width: s.width * factor,
    height: s.height * factor,
    classMap: enlargeLabels(s.classMap, s.width, s.height, factor),
    instanceMap: enlargeLabels(s.instanceMap, s.width, s.height, factor),
  };
}

export function maxClass(classMap: Uint8Array): number {
  let m = 0;
  for (let i = 0; i < classMap.length; i++) if (classMap[i] > m) m = classMap[i];
  return m;
}

export interface PrepareOptions {
  w0: number;
  sigma: number;
  separationGap: number;
  /** Class index of the objects' borders in the target (see withBorderClass); absent: two-class target. */
  borderClass?: number;
  /** Class weights by class id for every image (runClassWeights); absent: each image balanced by its own frequencies. */
  classWeights?: number[];
}

/**
 * The class weights of a run's loss when they are the same for every image: balanced over the class
 * frequencies of all the training annotations ('data-set'), or 1 for every class ('none'); undefined
 * for 'per-image', where weightMap balances each image by its own. Indexed by class id; class 0
 * (unlabelled) weighs 0.
 */
export function runClassWeights(weighting: ClassWeighting, train: readonly Pick<TrainingSample, 'classMap'>[]): number[] | undefined {
  if (weighting === 'per-image') return undefined;
  if (weighting === 'none') return Array.from({ length: 256 }, (_, c) => (c === 0 ? 0 : 1));
  const counts = new Float64Array(256);
  for (const s of train) for (let i = 0; i < s.classMap.length; i++) counts[s.classMap[i]]++;
  return Array.from(balancedClassWeights(counts));
}

export function prepareSample(s: TrainingSample, options: PrepareOptions): PreparedSample {
  const separated =
    options.separationGap > 0
      ? separationBorders(s.classMap, s.instanceMap, s.width, s.height, options.separationGap)
      : { classMap: s.classMap, instanceMap: s.instanceMap };
  // The paper's weight map of the two-class target; a border pixel keeps the weight of what it was.
  const weights = weightMap(separated.classMap, separated.instanceMap, s.width, s.height, {
    w0: options.w0,
    sigma: options.sigma,
    ...(options.classWeights ? { classWeights: options.classWeights } : {}),
  });
  const target =
    options.borderClass === undefined
      ? separated.classMap
      : withBorderClass(s.classMap, separated.classMap, separated.instanceMap, s.width, s.height, options.borderClass);
  let labelled = 0;
  for (let i = 0; i < target.length; i++) if (target[i] !== 0) labelled++;
  return {
    id: s.id,
    image: s.image,
    width: s.width,
    height: s.height,
    channels: s.channels,
    classMap: target,
    paintedClassMap: s.classMap,
    weights,
    labelled,
    maxWeight: maxOf(weights),
  };
}

/** One training tile: the network input and the one-hot target and weights of the centre crop it predicts. */
export interface TrainingTile {
  input: Float32Array;
  target: Float32Array;
  weights: Float32Array;
  sampleIndex: number;
}

export interface TileGeometry {
  input: number;
  output: number;
}

/**
 * Draws random training tiles: a random labelled pixel of a random image becomes the centre (so every
 * tile carries some loss), a mirrored region around it is cut out, and the tile at its centre is
 * augmented (flips/quarter turns, rotation, zoom, elastic deformation, grey values), reading the region
 * around it: rotated, shrunk and deformed tiles are filled with real neighbourhood. Output buffers are reused.
 */
export class TileSampler {
  private readonly margin: number;
  private readonly tile: TrainingTile;
  private readonly options: AugmentOptions;
  private readonly augmenting: boolean;

  constructor(
    private readonly samples: PreparedSample[],
    private readonly geometry: TileGeometry,
    private readonly numClasses: number,
    augmentation: AugmentationConfig,
    private readonly sampling: TileSampling = 'labelled',
  ) {
    if (samples.length === 0) throw new UnetError('INVALID_ARGUMENT', 'no training images');
    if (samples.every((s) => s.labelled === 0)) throw new UnetError('INVALID_ARGUMENT', 'the training images have no labelled pixels');
    const { gamma, scale, ...switches } = augmentation;
    const scaleRange = scale ?? 0;
    this.options = {
      ...switches,
      ...(gamma === undefined ? {} : { intensityOptions: { ...DEFAULT_INTENSITY_OPTIONS, gamma } }),
      ...(scaleRange > 0 ? { scaleRange } : {}),
    };
    this.augmenting = augmentation.elastic || augmentation.rotation || augmentation.flipsRotations || augmentation.intensity || scaleRange > 0;
    this.margin = regionMargin(geometry.input, augmentation, scaleRange);
    const channels = samples[0].channels;
    this.tile = {
      input: new Float32Array(geometry.input * geometry.input * channels),
      target: new Float32Array(geometry.output * geometry.output * numClasses),
      weights: new Float32Array(geometry.output * geometry.output),
      sampleIndex: 0,
    };
  }

  private buffers: RegionBuffers | null = null;

  // Fresh pages are slow on some VMs: reuse the region buffers from step to step.
  private regionBuffers(region: number, channels: number): RegionBuffers {
    const n = region * region;
    if (!this.buffers || this.buffers.classMap.length !== n || this.buffers.image.length !== n * channels) {
      this.buffers = {
        image: new Float32Array(n * channels),
        classFloat: new Float32Array(n),
        weights: new Float32Array(n),
        classMap: new Uint8Array(n),
      };
    }
    return this.buffers;
  }

  /** The next tile; its arrays are overwritten by the following call. */
  next(rng: Rng): TrainingTile {
    const candidates = this.samples.filter((s) => s.labelled > 0);
    const sample = candidates[rng.int(candidates.length)];
    const [cx, cy] = pickTileCentre(sample, rng, this.sampling);
    const region = this.geometry.input + 2 * this.margin;
    const x0 = cx - Math.floor(region / 2);
    const y0 = cy - Math.floor(region / 2);
    const { width, height, channels } = sample;
    const buffers = this.regionBuffers(region, channels);
    let image = extractMirroredTile(sample.image, width, height, channels, x0, y0, region, region, buffers.image);
    const classFloat = extractMirroredTile(sample.classMap, width, height, 1, x0, y0, region, region, buffers.classFloat);
    let weights = extractMirroredTile(sample.weights, width, height, 1, x0, y0, region, region, buffers.weights);
    let classMap = buffers.classMap;
    for (let i = 0; i < classFloat.length; i++) classMap[i] = classFloat[i];
    const { input, output } = this.geometry;
    // Only the tile is augmented; the region around it is what rotation, zoom and deformation read from.
    let size = region;
    let inOff = this.margin;
    if (this.augmenting) {
      const tileWindow = { x: this.margin, y: this.margin, width: input, height: input };
      const out = augmentSample({ image, classMap, weights, width: region, height: region, channels }, rng, this.options, tileWindow);
      image = out.image;
      classMap = out.classMap;
      weights = out.weights;
      size = input;
      inOff = 0;
    }
    const outOff = inOff + (input - output) / 2;
    const t = this.tile;
    for (let y = 0; y < input; y++) {
      const src = ((y + inOff) * size + inOff) * channels;
      t.input.set(image.subarray(src, src + input * channels), y * input * channels);
    }
    t.target.fill(0);
    const K = this.numClasses;
    for (let y = 0; y < output; y++) {
      for (let x = 0; x < output; x++) {
        const s = (y + outOff) * size + (x + outOff);
        const o = y * output + x;
        const c = classMap[s];
        t.weights[o] = c === 0 ? 0 : weights[s];
        if (c !== 0) t.target[o * K + c] = 1;
      }
    }
    t.sampleIndex = this.samples.indexOf(sample);
    return t;
  }
}

/**
 * How far the augmented region reaches beyond the tile on each side, so rotated, shrunk and deformed tiles
 * are filled with real neighbourhood: 3 sigma for the elastic displacements, plus the tile's half-diagonal
 * (any rotation) or half-side, divided by the smallest zoom, less the half-side. Without zoom it is the
 * margin runs have always used (0.21 of the tile), so the elastic grid, spread over the region, keeps its
 * scale.
 */
export function regionMargin(input: number, augmentation: Pick<AugmentationConfig, 'rotation' | 'elastic' | 'elasticSigma'>, scaleRange: number): number {
  const elastic = augmentation.elastic ? 3 * augmentation.elasticSigma : 0;
  if (scaleRange > 0) return Math.ceil((((augmentation.rotation ? Math.SQRT2 : 1) * Math.exp(scaleRange) - 1) / 2) * input + elastic);
  return augmentation.rotation || augmentation.elastic ? Math.ceil(0.21 * input + elastic) : 0;
}

interface RegionBuffers {
  image: Float32Array;
  classFloat: Float32Array;
  weights: Float32Array;
  classMap: Uint8Array;
}

