import { UnetError } from '../../../src-shared/contract/errors';
import { checkUpscale, enlargeImage, shrinkPlanes } from '../../../src-shared/imaging/enlarge';
import { foregroundFlags, instancesOfClassMap, MAX_OUTPUT_BYTES, segmentImage, type ProgressCallback, type SegmentOptions, type SegmentResult } from './tiled-inference';
import type { TileRunner } from './tile-runner';
import { writeTile } from './tile-writer';

/** The class probabilities of an image enlarged `factor` times, which segmentEnlarged holds whole. */
export function enlargedOutputBytes(width: number, height: number, numClasses: number, factor: number): number {
  return 4 * numClasses * width * height * factor * factor;
}

/** Whether segmentEnlarged can enlarge an image this much (else it refuses with TOO_LARGE). */
export function fitsEnlarged(width: number, height: number, numClasses: number, factor: number): boolean {
  return factor === 1 || enlargedOutputBytes(width, height, numClasses, factor) <= MAX_OUTPUT_BYTES;
}

/**
 * Segmentation by a model trained on images enlarged `factor` times (its `upscale`): the image is enlarged
 * the same way (bilinear), segmented tile by tile, and the class probabilities are averaged back over each
 * factor x factor block, so every output (class map, foreground, objects) is at the image's own size and
 * the outlines of small objects fall between the original pixels' edges as the enlarged model placed them.
 */
export async function segmentEnlarged(
  runner: TileRunner,
  image: { width: number; height: number; channels: number; data: Float32Array },
  factor: number,
  options: SegmentOptions,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<SegmentResult> {
  checkUpscale(factor, "the model's upscale");
  if (factor === 1) return segmentImage(runner, image, options, onProgress, signal);
  if (options.sink) throw new UnetError('UNSUPPORTED', 'tiles cannot stream to a sink from a model that enlarges its images');
  const { width, height, channels } = image;
  const K = runner.numClasses;
  const bytes = enlargedOutputBytes(width, height, K, factor);
  if (bytes > MAX_OUTPUT_BYTES) {
    throw new UnetError('TOO_LARGE', `this model enlarges images ${factor} times: a ${width}x${height} image needs ${(bytes / 1024 ** 3).toFixed(1)} GiB of probabilities; crop it into parts`, {
      width,
      height,
      factor,
      bytes,
    });
  }
  const enlarged = { width: width * factor, height: height * factor, channels, data: enlargeImage(image.data, width, height, channels, factor) };
  // Tiles take the progress to 95 %; the block average and the objects the rest.
  const big = await segmentImage(runner, enlarged, { ...options, outputs: { probabilities: true } }, (percent, detail) => onProgress?.(0.95 * percent, detail), signal);
  const probabilities = shrinkPlanes(big.probabilities as Float32Array, K, enlarged.width, enlarged.height, factor);

  const outputs = options.outputs ?? { classMap: true };
  const instanceOptions = outputs.instances === true ? {} : outputs.instances || undefined;
  const isForeground = foregroundFlags(options.foregroundClasses, K, options.borderClass);
  const classMap = new Uint8Array(width * height);
  const foreground = new Float32Array(width * height);
  const whole = { outX: 0, outY: 0, outW: width, outH: height, inX: 0, inY: 0 };
  writeTile(probabilities, whole, width, K, { classMap, foreground, isForeground, borderClass: options.borderClass });
  if (signal?.aborted) throw new UnetError('CANCELLED', 'segmentation was cancelled');
  const objects = instanceOptions ? instancesOfClassMap(classMap, isForeground, foreground, width, height, instanceOptions) : undefined;
  onProgress?.(100, { tile: big.tiles, tiles: big.tiles });
  return {
    width,
    height,
    numClasses: K,
    classMap: outputs.classMap ? classMap : undefined,
    probabilities: outputs.probabilities ? probabilities : undefined,
    foreground: outputs.foreground ? foreground : undefined,
    instances: objects?.labels,
    instanceCount: objects?.count,
    tiles: big.tiles,
    inputTile: big.inputTile,
    outputTile: big.outputTile,
    runner: big.runner,
  };
}
