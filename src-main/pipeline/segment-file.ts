import { UnetError } from '../../src-shared/contract/errors';
import { invertIfBrightBackground } from '../../src-shared/imaging/background-polarity';
import { connectedComponents } from '../../src-shared/imaging/connected-components';
import { matchNoiseLevel } from '../../src-shared/imaging/noise-level';
import { medianObjectDiameter, upscaleForDiameter } from '../../src-shared/imaging/object-size';
import { applyNormalization, computePercentileNormalization } from '../../src-shared/imaging/normalization';
import type { StackPosition } from '../../src-shared/imaging/stack-axes';
import { haloFor, isLegalInputSize, nearestLegalInputSize, smallestLegalInputSize } from '../../src-shared/imaging/tile-geometry';
import { defaultInstanceOptions, SPLITTING_OPTIONS, type InstanceOptions } from '../engine/inference/instance-postprocess';
import type { OpenedRunner } from '../engine/inference/open-runner';
import { fitsEnlarged, segmentEnlarged } from '../engine/inference/enlarged-inference';
import { foregroundFlags, instancesOfClassMap, type ProgressCallback, type SegmentResult } from '../engine/inference/tiled-inference';
import { modelDataClasses, type UNetMetadata } from '../engine/model-files';
import { toFloat32, toGray } from '../io/image-convert';
import type { DecodedImage } from '../io/image-types';
import { readImageOrPlane } from '../io/read-plane';

/** The paper's input tile: the largest tile picked automatically for inference. */
const MAX_AUTO_TILE = 572;

export interface SegmentFileOptions {
  /** Input tile; default: the smallest legal tile covering the image, between the training tile and 572. */
  tile?: number;
  tta?: boolean;
  /** Split the foreground into objects (threshold + erosion seeds, or plain components). */
  instances?: false | InstanceOptions;
  /**
   * The plane to segment, 0-based: an OME-TIFF / hyperstack channel (or a sample of each pixel), focal
   * plane and time point; default: the first plane, all channels as gray.
   */
  plane?: Partial<StackPosition>;
  /** Smooth an image clearly noisier than the training images down to their noise level (default true). */
  matchNoise?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface SegmentedImage {
  width: number;
  height: number;
  /** The classes the class map may hold (a model's border class is not one). */
  numClasses: number;
  /** argmax class per pixel (1 = background, 2.. = classes). */
  classMap: Uint8Array;
  /** Summed probability of the foreground classes. */
  foreground: Float32Array;
  instances?: Int32Array;
  instanceCount?: number;
  /** The instance post-processing applied, and whether it is the one calibrated with the model. */
  instanceOptions?: InstanceOptions;
  calibratedInstances?: boolean;
  tiles: number;
  inputTile: number;
  runner: string;
  /** The input's pixel size, for calibrated outputs. */
  pixelSize?: DecodedImage['pixelSize'];
  /** Gaussian sigma (px) that brought a noisier image down to the training noise level; absent when none. */
  noiseSmoothing?: number;
  /** Times the image was enlarged before the network (the model's upscale, or chosen by its objects); absent when 1. */
  upscale?: number;
  /** For a model that enlarges by object size: the factor its objects asked for, when the image was too large to enlarge. */
  upscaleSkipped?: number;
  /**
   * For a model that enlarges by object size: the factor its objects asked for, when the enlarged pass lost
   * most of the objects the first pass found and the first pass was kept (`lostOnEnlarging`).
   */
  upscaleDistrusted?: number;
}

/**
 * The network input for an image: gray (for one-channel models) as float, scaled with the model's
 * recorded normalisation (per-image percentiles when the model has none recorded), a bright-background
 * image inverted when the model was trained so.
 */
export function modelInput(image: DecodedImage, metadata: UNetMetadata): Float32Array {
  const inChannels = metadata.architecture.inChannels;
  const source = inChannels === 1 ? toGray(image) : image;
  if (source.channels !== inChannels) {
    throw new UnetError('INVALID_ARGUMENT', `the model expects ${inChannels} channel(s), the image has ${image.channels}`);
  }
  const values = toFloat32(source);
  const params = metadata.normalization ?? computePercentileNormalization(values);
  const normalised = applyNormalization(values, params, values);
  if (metadata.invertBrightBackground && metadata.normalization === null) invertIfBrightBackground(normalised);
  return normalised;
}

/**
 * The network input smoothed to the model's training noise level when clearly noisier (models without
 * a recorded level, and `enabled` false, leave it as it is).
 */
export function noiseMatchedInput(data: Float32Array, width: number, height: number, channels: number, metadata: Pick<UNetMetadata, 'trainingNoise'>, enabled = true): { data: Float32Array; sigma: number } {
  const target = metadata.trainingNoise?.sigma;
  if (!enabled || target === undefined) return { data, sigma: 0 };
  const matched = matchNoiseLevel(data, width, height, channels, target);
  return { data: matched.data, sigma: matched.sigma };
}

/** A legal input tile for inference: the one asked for (rounded down to legal), or a good default. */
export function inferenceTile(metadata: UNetMetadata, width: number, height: number, requested?: number): number {
  const depth = metadata.architecture.depth;
  if (requested !== undefined) return isLegalInputSize(requested, depth) ? requested : nearestLegalInputSize(requested, depth);
  const training = metadata.tile?.input ?? smallestLegalInputSize(depth);
  const covering = Math.max(width, height) + 2 * haloFor(depth);
  const step = 2 ** depth;
  let tile = smallestLegalInputSize(depth);
  while (tile < covering && tile + step <= Math.max(MAX_AUTO_TILE, training)) tile += step;
  return Math.max(tile, nearestLegalInputSize(training, depth));
}

/**
 * The instance post-processing to apply: the parameters asked for when any is given, else those
 * calibrated on the run's validation images and stored with the model, else the model's default
 * (plain connected components; seeds from the interiors for a model with a border class).
 */
export function instanceOptionsFor(metadata: UNetMetadata, requested: InstanceOptions): { options: InstanceOptions; calibrated: boolean } {
  const asked = SPLITTING_OPTIONS.some((key) => requested[key] !== undefined);
  const calibrated = metadata.instancePostprocessing?.options;
  if (asked) return { options: requested, calibrated: false };
  if (!calibrated) return { options: { ...defaultInstanceOptions(metadata.borderClass !== undefined), ...requested }, calibrated: false };
  return { options: { ...calibrated, ...(requested.connectivity ? { connectivity: requested.connectivity } : {}) }, calibrated: true };
}

/** Segments one decoded image with an opened model (overlap-tile, optional TTA and instance splitting). */
export async function segmentDecoded(opened: OpenedRunner, image: DecodedImage, options: SegmentFileOptions = {}): Promise<SegmentedImage> {
  const segmented = await segmentModelInput(opened, image.width, image.height, modelInput(image, opened.metadata), options);
  return { ...segmented, ...(image.pixelSize ? { pixelSize: image.pixelSize } : {}) };
}

/**
 * Segments an image already scaled as the model expects (`modelInput`, or the training pipeline's
 * normalised images): noise matching, overlap-tile inference, optional TTA and instance splitting.
 */
export async function segmentModelInput(opened: OpenedRunner, width: number, height: number, input: Float32Array, options: Omit<SegmentFileOptions, 'plane'> = {}): Promise<SegmentedImage> {
  const { metadata, runner } = opened;
  const channels = metadata.architecture.inChannels;
  const { data, sigma } = noiseMatchedInput(input, width, height, channels, metadata, options.matchNoise !== false);
  const instances = options.instances ? instanceOptionsFor(metadata, options.instances) : undefined;
  // A model trained on enlarged images sees this one enlarged the same way; its outputs come back at this size.
  const run = (factor: number, onProgress?: ProgressCallback, withInstances = true) =>
    segmentEnlarged(
      runner,
      { width, height, channels, data },
      factor,
      {
        tile: inferenceTile(metadata, width * factor, height * factor, options.tile),
        tta: options.tta === true,
        outputs: { classMap: true, foreground: true, instances: withInstances ? instances?.options : undefined },
        borderClass: metadata.borderClass,
      },
      onProgress,
      options.signal,
    );
  const recorded = metadata.upscale ?? 1;
  let upscale: number;
  let tooLarge: number | undefined;
  let distrusted: number | undefined;
  let result;
  if (recorded === 'auto') {
    // A first segmentation at the image's own size says how large its objects are, hence how much to enlarge it.
    // Objects are split once, on the pass that is kept.
    const first = await run(1, (percent, detail) => options.onProgress?.(percent / 2, detail), false);
    const wanted = upscaleForObjectsIn(first.foreground as Float32Array, width, height);
    // An image too large to hold enlarged keeps the first pass rather than fail: it segmented before.
    upscale = fitsEnlarged(width, height, runner.numClasses, wanted) ? wanted : 1;
    if (upscale !== wanted) tooLarge = wanted;
    const enlarged = upscale === 1 ? undefined : await run(upscale, (percent, detail) => options.onProgress?.(50 + percent / 2, detail), false);
    const trusted = enlarged && !lostOnEnlarging(first.classMap as Uint8Array, enlarged.classMap as Uint8Array) ? enlarged : undefined;
    if (enlarged && !trusted) {
      distrusted = upscale;
      upscale = 1;
    }
    result = withObjects(trusted ?? first, instances?.options, metadata.borderClass);
    options.onProgress?.(100, { tile: result.tiles, tiles: result.tiles });
  } else {
    upscale = recorded;
    result = await run(upscale, options.onProgress);
  }
  return {
    width: result.width,
    height: result.height,
    // The class map never holds a border class.
    numClasses: modelDataClasses(metadata),
    classMap: result.classMap as Uint8Array,
    foreground: result.foreground as Float32Array,
    instances: result.instances,
    instanceCount: result.instanceCount,
    ...(instances ? { instanceOptions: instances.options, calibratedInstances: instances.calibrated } : {}),
    tiles: result.tiles,
    inputTile: result.inputTile,
    runner: result.runner,
    ...(sigma > 0 ? { noiseSmoothing: sigma } : {}),
    ...(upscale !== 1 ? { upscale } : {}),
    ...(tooLarge !== undefined ? { upscaleSkipped: tooLarge } : {}),
    ...(distrusted !== undefined ? { upscaleDistrusted: distrusted } : {}),
  };
}

/**
 * Share of the first pass's object pixels an enlarged pass must keep to be trusted. Enlarging sharpens
 * outlines and should find about the same objects (on DSB 2018, 0.95 to 1.34 of the first pass's area in
 * 24 of 25 enlarged held-out images); a model that has not learned objects that large can call them
 * background instead (a 520 x 696 image of dense nuclei: 0.40 of the area, SEG 0.51 as it is, 0.20 enlarged).
 */
export const ENLARGED_OBJECTS_FLOOR = 0.5;

/** Whether an enlarged segmentation lost most of the objects (classes >= 2) the one at the image's own size found. */
export function lostOnEnlarging(first: Uint8Array, enlarged: Uint8Array): boolean {
  let before = 0;
  let after = 0;
  for (let p = 0; p < first.length; p++) {
    if (first[p] >= 2) before++;
    if (enlarged[p] >= 2) after++;
  }
  return before > 0 && after < ENLARGED_OBJECTS_FLOOR * before;
}

/** A segmentation made without objects, with its objects split as `options` say (none without options). */
function withObjects(result: SegmentResult, options: InstanceOptions | undefined, borderClass: number | undefined): SegmentResult {
  if (!options) return result;
  const isForeground = foregroundFlags(undefined, result.numClasses, borderClass);
  const objects = instancesOfClassMap(result.classMap as Uint8Array, isForeground, result.foreground, result.width, result.height, options);
  return { ...result, instances: objects.labels, instanceCount: objects.count };
}

/**
 * How much `upscale: 'auto'` enlarges an image, from the objects a first segmentation found: the
 * components where the foreground (for a model with a border class, the interiors, so touching cells
 * count apart) is at least even odds, their size the median over their pixels. A first pass that breaks
 * objects into fragments finds many small ones: by count, an H&E image of DSB 2018 with nuclei 39 px
 * across measured 7 px and was enlarged 4 times (SEG 0.05); by pixels it measures 42 px.
 */
export function upscaleForObjectsIn(foreground: Float32Array, width: number, height: number): number {
  const mask = new Uint8Array(foreground.length);
  for (let p = 0; p < mask.length; p++) mask[p] = foreground[p] >= 0.5 ? 1 : 0;
  return upscaleForDiameter(medianObjectDiameter(connectedComponents(mask, width, height, 4).labels, { byPixels: true }));
}

export async function segmentFile(opened: OpenedRunner, file: string, options: SegmentFileOptions = {}): Promise<SegmentedImage> {
  const image = await readImageOrPlane(file, options.plane);
  return segmentDecoded(opened, image, options);
}
