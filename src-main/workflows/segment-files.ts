import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { StackPosition } from '../../src-shared/imaging/stack-axes';
import type { InstanceOptions } from '../engine/inference/instance-postprocess';
import { openUnetRunner } from '../engine/inference/open-runner';
import { formatFromExtension } from '../io/image-format';
import { listImageFiles, naturalCompare } from '../io/list-image-files';
import { roiFileName, writeInstanceRois, type RoiFormat } from '../io/rois/instance-rois';
import { fileStem } from '../io/image-pairs';
import { instanceLabels, writeMaskOutput } from '../pipeline/prediction-files';
import { segmentFile } from '../pipeline/segment-file';

export interface SegmentFilesRequest {
  modelDir: string;
  inputs: string[];
  outDir: string;
  tta?: boolean;
  /** Write instance labels instead of 0/255 masks. */
  instances?: boolean;
  /** Instance post-processing parameters; none given: the model's calibrated ones (else plain components). */
  instanceOptions?: InstanceOptions;
  /** Also write the foreground probability (float TIFF) under probabilities/. */
  probabilities?: boolean;
  /** With instances: also write each image's objects as an ImageJ ROI set (NAME.rois.zip) or GeoJSON (NAME.geojson). */
  rois?: RoiFormat;
  /** 0-based plane of multi-channel images and stacks (OME-TIFF / ImageJ hyperstack c, z, t, or interleaved samples). */
  plane?: Partial<StackPosition>;
  tile?: number;
  /** Smooth images clearly noisier than the training images down to their noise level (default true). */
  matchNoise?: boolean;
}

export interface SegmentedOutput {
  input: string;
  mask: string;
  probability: string | null;
  /** The ROI set or GeoJSON file, when asked for. */
  rois: string | null;
  objects: number | null;
  /** Gaussian sigma (px) that matched a noisier image to the training noise level; null when left as it was. */
  noiseSmoothing: number | null;
  /** Times the image was enlarged before the network (the model's upscale, or chosen by its objects). */
  upscale: number;
  /** The factor its objects asked for when the image was too large to enlarge; null otherwise. */
  upscaleSkipped: number | null;
  /** The factor the objects asked for, when the enlarged pass lost most of them and the image was segmented as it is. */
  upscaleDistrusted: number | null;
  seconds: number;
}

export interface SegmentFilesResult {
  outputs: SegmentedOutput[];
  /** The instance post-processing applied (with --instances), and whether the model's calibration chose it. */
  instances: { options: InstanceOptions; calibrated: boolean } | null;
  runner: string;
  notes: string[];
  seconds: number;
}

/**
 * The input list of `segment`: folders expand to their image files, files stay; sorted naturally by
 * path and without duplicates, so every shard of a cluster job sees the same list.
 */
export async function resolveInputs(args: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const arg of args) {
    const resolved = path.resolve(arg);
    const info = await stat(resolved).catch(() => null);
    if (!info) throw new UnetError('NOT_FOUND', `${arg}: no such file or folder`, { path: arg, usage: true });
    if (info.isDirectory()) for (const file of await listImageFiles(resolved)) files.add(file);
    else if (formatFromExtension(resolved)) files.add(resolved);
    else throw new UnetError('INVALID_ARGUMENT', `${arg}: not a TIFF, PNG or JPEG file`, { path: arg, usage: true });
  }
  return [...files].sort(naturalCompare);
}

/** The I-th (1-based) of N contiguous, near-equal slices of a list. */
export function shardOf<T>(list: T[], index: number, count: number): T[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new UnetError('INVALID_ARGUMENT', `shard ${index}/${count} is not I/N with 1 <= I <= N`, { usage: true });
  }
  return list.slice(Math.floor(((index - 1) * list.length) / count), Math.floor((index * list.length) / count));
}

/** Two inputs with the same base name would write the same mask file. */
export function checkDistinctNames(inputs: string[]): void {
  const seen = new Map<string, string>();
  for (const file of inputs) {
    const key = fileStem(file).toLowerCase();
    const other = seen.get(key);
    if (other) throw new UnetError('INVALID_ARGUMENT', `${other} and ${file} would write the same output name`, { usage: true });
    seen.set(key, file);
  }
}

/** Segments files one by one with a model folder, writing one mask per input into `outDir`. */
export async function segmentFiles(
  request: SegmentFilesRequest,
  onProgress?: (done: number, total: number, file: string, percentOfFile: number) => void,
  signal?: AbortSignal,
): Promise<SegmentFilesResult> {
  checkDistinctNames(request.inputs);
  if (request.rois && !request.instances) throw new UnetError('INVALID_ARGUMENT', 'ROIs are written for instances: ask for instances too', { usage: true });
  const t0 = performance.now();
  const opened = await openUnetRunner(request.modelDir);
  const outputs: SegmentedOutput[] = [];
  let instances: SegmentFilesResult['instances'] = null;
  try {
    for (const [index, input] of request.inputs.entries()) {
      if (signal?.aborted) throw new UnetError('CANCELLED', 'segmentation was cancelled');
      const t1 = performance.now();
      onProgress?.(index, request.inputs.length, input, 0);
      const seg = await segmentFile(opened, input, {
        tile: request.tile,
        tta: request.tta === true,
        instances: request.instances ? (request.instanceOptions ?? {}) : false,
        ...(request.plane === undefined ? {} : { plane: request.plane }),
        ...(request.matchNoise === false ? { matchNoise: false } : {}),
        signal,
        onProgress: (percent) => onProgress?.(index, request.inputs.length, input, percent),
      });
      if (seg.instanceOptions) instances = { options: seg.instanceOptions, calibrated: seg.calibratedInstances === true };
      const written = await writeMaskOutput(request.outDir, input, seg, { instances: request.instances === true, probabilities: request.probabilities === true });
      let rois: string | null = null;
      if (request.rois && seg.instances) {
        const file = path.join(request.outDir, roiFileName(fileStem(input), request.rois));
        rois = (await writeInstanceRois(file, request.rois, instanceLabels(seg.instances), seg.width, seg.height, { className: objectClassName(opened.metadata.classNames) })).file;
      }
      outputs.push({ input, mask: written.maskPath, probability: written.probabilityPath, rois, objects: seg.instanceCount ?? null, noiseSmoothing: seg.noiseSmoothing ?? null, upscale: seg.upscale ?? 1, upscaleSkipped: seg.upscaleSkipped ?? null, upscaleDistrusted: seg.upscaleDistrusted ?? null, seconds: (performance.now() - t1) / 1000 });
      onProgress?.(index + 1, request.inputs.length, input, 100);
    }
  } finally {
    await opened.runner.dispose();
  }
  return { outputs, instances, runner: opened.runner.description, notes: opened.notes, seconds: (performance.now() - t0) / 1000 };
}

/** The class QuPath files objects under: the model's first object class (after unlabeled and background). */
export function objectClassName(classNames: readonly string[] | undefined): string {
  const name = classNames?.[2]?.trim();
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Object';
}
