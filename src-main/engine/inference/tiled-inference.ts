import { UnetError } from '../../../src-shared/contract/errors';
import { isLegalInputSize, nearestLegalInputSize, planTiles } from '../../../src-shared/imaging/tile-geometry';
import { checkImageSource, readInputTile, type ImageSource } from './image-source';
import { instancesFromForeground, needsForeground, type InstanceOptions } from './instance-postprocess';
import type { TileRunner } from './tile-runner';
import { cropTile, writeTile } from './tile-writer';
import { runTileWithTta } from './tta';

/** One output tile as it leaves the network: K planes of width x height, placed at (x, y) in the image. */
export interface OutputTile {
  index: number;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  numClasses: number;
  probabilities: Float32Array;
}

/** Receives every output tile exactly once, in row-major order; the tile's buffer is reused afterwards. */
export type TileSink = (tile: OutputTile) => void | Promise<void>;

export interface SegmentOutputs {
  /** argmax class per pixel (Uint8Array W*H); class indices as in the model (0 unlabeled, 1 background, 2.. classes). */
  classMap?: boolean;
  /** Full softmax, K planes of W*H (Float32Array K*W*H). Costs 4*K bytes per pixel: use a sink for huge images. */
  probabilities?: boolean;
  /**
   * Foreground probability per pixel (Float32Array W*H): the summed probability of the foreground classes
   * (for a model with a border class, of the objects' interiors: what seeds grow from).
   */
  foreground?: boolean;
  /** Instance labels of the foreground (Int32Array W*H, 0 = none); `true` = plain connected components. */
  instances?: boolean | InstanceOptions;
}

export interface SegmentOptions {
  /** Input tile size; must be legal for the model depth (see tile-geometry). */
  tile: number;
  /** Mean softmax over the 8 rotations/flips of each tile (8x the compute). */
  tta?: boolean;
  outputs?: SegmentOutputs;
  /** Streams each output tile's probabilities, e.g. to disk for images whose probabilities do not fit memory. */
  sink?: TileSink;
  /** Classes counted as foreground; default every class >= 2 (0 = unlabeled, 1 = background) but the border class. */
  foregroundClasses?: number[];
  /** The model's class of object borders, if it has one: object in the class map, not in the foreground sum. */
  borderClass?: number;
}

export interface SegmentResult {
  width: number;
  height: number;
  numClasses: number;
  classMap?: Uint8Array;
  probabilities?: Float32Array;
  foreground?: Float32Array;
  instances?: Int32Array;
  instanceCount?: number;
  tiles: number;
  inputTile: number;
  outputTile: number;
  runner: string;
}

export type ProgressCallback = (percent: number, detail: { tile: number; tiles: number }) => void;

/** Images whose whole-image outputs would exceed this are refused unless streamed through a sink. */
export const MAX_OUTPUT_BYTES = 4 * 1024 ** 3;

/**
 * Overlap-tile segmentation (paper, Fig. 2): output tiles cover the image exactly once; each input tile carries
 * the context halo, mirrored beyond the border. Tiles stream through one at a time (the next input is read while
 * the current one runs), so memory is a few tiles plus whichever whole-image outputs were asked for.
 */
export async function segmentImage(
  runner: TileRunner,
  image: ImageSource,
  options: SegmentOptions,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<SegmentResult> {
  if (!image || typeof image !== 'object') throw new UnetError('INVALID_ARGUMENT', 'an image source is required');
  if (!options || typeof options !== 'object') throw new UnetError('INVALID_ARGUMENT', 'segmentation options are required');
  checkImageSource(image);
  const { width, height } = image;
  if (image.channels !== runner.inChannels) {
    throw new UnetError('INVALID_ARGUMENT', `the model expects ${runner.inChannels} channel(s), the image has ${image.channels}`);
  }
  if (!isLegalInputSize(options.tile, runner.depth)) {
    throw new UnetError('INVALID_ARGUMENT', `tile ${options.tile} is not legal for depth ${runner.depth}; nearest legal: ${nearestLegalInputSize(Math.max(1, options.tile || 1), runner.depth)}`);
  }
  const K = runner.numClasses;
  const outputs = options.outputs ?? { classMap: true };
  const instanceOptions = outputs.instances === true ? {} : outputs.instances || undefined;
  const borderClass = options.borderClass;
  if (borderClass !== undefined && !(Number.isInteger(borderClass) && borderClass >= 3 && borderClass < K)) {
    throw new UnetError('INVALID_ARGUMENT', `border class ${borderClass} is not one of the model's ${K} classes after background and a foreground class`);
  }
  const isForeground = foregroundFlags(options.foregroundClasses, K, borderClass);
  const pixels = width * height;

  const wantClassMap = outputs.classMap === true || instanceOptions !== undefined;
  const wantForeground = outputs.foreground === true || (instanceOptions !== undefined && needsForeground(instanceOptions));
  const bytes = (wantClassMap ? pixels : 0) + (wantForeground ? 4 * pixels : 0) + (outputs.probabilities ? 4 * K * pixels : 0) + (instanceOptions ? 8 * pixels : 0);
  if (bytes > MAX_OUTPUT_BYTES) {
    throw new UnetError('TOO_LARGE', `a ${width}x${height} image needs ${(bytes / 1024 ** 3).toFixed(1)} GiB of outputs; ask for fewer outputs or stream probabilities to a sink`, { width, height, bytes });
  }
  if (wantClassMap && K > 256) throw new UnetError('UNSUPPORTED', `a class map holds at most 256 classes, the model has ${K}`);

  const classMap = wantClassMap ? new Uint8Array(pixels) : undefined;
  const foreground = wantForeground ? new Float32Array(pixels) : undefined;
  const probabilities = outputs.probabilities ? new Float32Array(K * pixels) : undefined;

  const plan = planTiles(width, height, options.tile, runner.depth);
  const count = plan.tiles.length;
  const size = plan.inputTile;
  const outSize = plan.outputTile;
  const cropped = new Float32Array(K * outSize * outSize);

  const cancelled = () => signal?.aborted === true;
  const checkCancel = () => {
    if (cancelled()) throw new UnetError('CANCELLED', 'segmentation was cancelled');
  };
  onProgress?.(0, { tile: 0, tiles: count });
  checkCancel();

  // Progress up to 100 when there is no post-processing, else tiles take 0..95.
  const tileShare = instanceOptions ? 95 : 100;
  let next: Promise<Float32Array> = readInputTile(image, plan.tiles[0].inX, plan.tiles[0].inY, size);
  for (let i = 0; i < count; i++) {
    const tile = plan.tiles[i];
    const input = await next;
    const probs = runTileWithTta(runner, input, size, options.tta === true);
    if (i + 1 < count) {
      const t = plan.tiles[i + 1];
      next = readInputTile(image, t.inX, t.inY, size);
      // A failed prefetch surfaces when awaited; keep it from being reported as unhandled meanwhile.
      next.catch(() => undefined);
    }
    const out = await probs;
    const view = cropTile(out, K, outSize, tile, cropped);
    writeTile(view, tile, width, K, { classMap, foreground, probabilities, isForeground, borderClass });
    if (options.sink) {
      await options.sink({ index: i, count, x: tile.outX, y: tile.outY, width: tile.outW, height: tile.outH, numClasses: K, probabilities: view });
    }
    onProgress?.(((i + 1) / count) * tileShare, { tile: i + 1, tiles: count });
    if (i + 1 < count) checkCancel();
  }

  let instances: Int32Array | undefined;
  let instanceCount: number | undefined;
  if (instanceOptions && classMap) {
    checkCancel();
    ({ labels: instances, count: instanceCount } = instancesOfClassMap(classMap, isForeground, foreground, width, height, instanceOptions));
    onProgress?.(100, { tile: count, tiles: count });
  }

  return {
    width,
    height,
    numClasses: K,
    classMap: outputs.classMap ? classMap : undefined,
    probabilities,
    foreground: outputs.foreground ? foreground : undefined,
    instances,
    instanceCount,
    tiles: count,
    inputTile: size,
    outputTile: outSize,
    runner: runner.description,
  };
}

/** The objects of a class map: its foreground classes (isForeground, by class) split as the options say. */
export function instancesOfClassMap(
  classMap: Uint8Array,
  isForeground: Uint8Array,
  foreground: Float32Array | undefined,
  width: number,
  height: number,
  options: InstanceOptions,
): { labels: Int32Array; count: number } {
  const mask = new Uint8Array(classMap.length);
  for (let p = 0; p < mask.length; p++) mask[p] = isForeground[classMap[p]];
  return instancesFromForeground(mask, foreground, width, height, options);
}

/** Which classes count as foreground (1 = yes, by class index): those asked for, else every class >= 2, never the border class. */
export function foregroundFlags(requested: number[] | undefined, K: number, borderClass: number | undefined): Uint8Array {
  const flags = new Uint8Array(K);
  for (const k of foregroundClassList(requested, K)) if (k !== borderClass) flags[k] = 1;
  return flags;
}

function foregroundClassList(requested: number[] | undefined, K: number): number[] {
  const list = requested ?? Array.from({ length: Math.max(0, K - 2) }, (_, i) => i + 2);
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0 || k >= K) throw new UnetError('INVALID_ARGUMENT', `foreground class ${k} is not one of the model's ${K} classes`);
  }
  return list;
}
