import { existsSync } from 'node:fs';
import { UnetError } from '../../src-shared/contract/errors';
import { BACKGROUND_CLASS, type AnnotationVersionInfo, type ClassDef, type Split } from '../../src-shared/contract/records';
import { applyNormalization, computeDatasetNormalization, computePercentileNormalization, type NormalizationParams } from '../../src-shared/imaging/normalization';
import { createRng } from '../../src-shared/imaging/rng';
import { toFloat32, toGray } from '../io/image-convert';
import { readImage } from '../io/read-image';
import type { TrainingItem } from '../store/images-repository';
import type { Workspace } from '../store/workspace';

/** An image of a run's membership with the exact annotation version it trains or validates on. */
export interface PlannedItem extends TrainingItem {
  split: 'train' | 'validation';
}

export interface TrainingPlan {
  datasetId: number;
  train: PlannedItem[];
  validation: PlannedItem[];
  /** True when the data set had no splits and the annotated images were split here (recorded with the run). */
  automaticSplit: boolean;
  classes: ClassDef[];
  /** K of the network: class values 0..max (0 = unlabelled, never a target). */
  numClasses: number;
  classNames: string[];
}

/** Share of annotated images held out for validation when the data set has no splits. */
export const AUTO_VALIDATION_FRACTION = 0.2;

function usage(message: string, details: Record<string, unknown> = {}): UnetError {
  return new UnetError('INVALID_ARGUMENT', message, { ...details, usage: true });
}

/**
 * Decides what a run trains and validates on and checks it before anything starts: the train split
 * (or, when the data set has no splits at all, a seeded 80/20 split of its annotated images), each
 * image's latest annotation version, and the problems that would only surface later: no images, no
 * annotated pixels, a single class painted, annotations whose size differs from the image, missing files.
 */
export function planTraining(ws: Workspace, datasetId: number, seed: number): TrainingPlan {
  const dataset = ws.datasets.get(datasetId);
  if (dataset.imageCount === 0) throw usage(`data set "${dataset.name}" has no images: import some first`, { datasetId });
  if (dataset.annotatedCount === 0) throw usage(`data set "${dataset.name}" has no annotated images: paint or import ground truth first`, { datasetId });
  let train = ws.trainingSet(datasetId, 'train') as PlannedItem[];
  let validation = ws.trainingSet(datasetId, 'validation') as PlannedItem[];
  const assigned = dataset.splitCounts.train + dataset.splitCounts.validation + dataset.splitCounts.test;
  let automaticSplit = false;
  if (train.length === 0) {
    if (assigned > 0) throw usage(`data set "${dataset.name}" has no annotated images in its train split`, { datasetId });
    ({ train, validation } = automaticTrainingSplit(ws, datasetId, seed));
    automaticSplit = true;
  }
  const all = [...train, ...validation];
  const classes = ws.datasets.classes(datasetId);
  checkItems(ws, dataset.name, all, classes);
  const numClasses = Math.max(2, ...classes.map((c) => c.value)) + 1;
  const classNames = Array.from({ length: numClasses }, (_, v) => (v === 0 ? 'unlabeled' : (classes.find((c) => c.value === v)?.name ?? `class ${v}`)));
  return { datasetId, train, validation, automaticSplit, classes, numClasses, classNames };
}

/** Annotated images in no split, shuffled with the run's seed: a fifth (at least one of two) validates. */
function automaticTrainingSplit(ws: Workspace, datasetId: number, seed: number): { train: PlannedItem[]; validation: PlannedItem[] } {
  const items: PlannedItem[] = [];
  for (const image of ws.images.all(datasetId)) {
    if (image.annotationVersion === 0) continue;
    const version = ws.annotations.history(image.id)[0];
    items.push({ imageId: image.id, name: image.name, path: image.path, width: image.width, height: image.height, split: 'train', annotationVersionId: version.id, annotationVersion: version.version });
  }
  const rng = createRng(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  const holdOut = items.length >= 2 ? Math.max(1, Math.round(items.length * AUTO_VALIDATION_FRACTION)) : 0;
  const byName = (a: PlannedItem, b: PlannedItem) => a.name.localeCompare(b.name) || a.imageId - b.imageId;
  const validation = items.slice(0, holdOut).map((i) => ({ ...i, split: 'validation' as const })).sort(byName);
  return { train: items.slice(holdOut).sort(byName), validation };
}

function checkItems(ws: Workspace, datasetName: string, items: PlannedItem[], classes: ClassDef[]): void {
  const labelled = new Set<number>();
  let labelledPixels = 0;
  for (const item of items) {
    const image = ws.images.get(item.imageId);
    if (image.fileStatus === 'missing' || !existsSync(image.path)) {
      throw usage(`the file of image ${image.name} is missing (${image.path}); verify the data set to find it`, { imageId: image.id });
    }
    const info = versionInfo(ws, item);
    if (info.width !== image.width || info.height !== image.height) {
      throw usage(`the annotation of ${image.name} is ${info.width}x${info.height} but the image is ${image.width}x${image.height}`, { imageId: image.id });
    }
    if (item.split === 'train') {
      labelledPixels += info.labeledPixels;
      for (const [value, count] of Object.entries(info.classCounts)) if (Number(value) > 0 && count > 0) labelled.add(Number(value));
    }
  }
  if (labelledPixels === 0) throw usage(`the training images of "${datasetName}" have no annotated pixels`);
  if (labelled.size < 2) {
    const only = [...labelled].map((v) => `"${classes.find((c) => c.value === v)?.name ?? `class ${v}`}"`).join(', ');
    // An all-zero mask imports as background everywhere: say so, since nothing was painted by hand.
    const hint = labelled.has(BACKGROUND_CLASS) ? ' (a mask of zeros imports as background everywhere)' : '';
    throw usage(`the training images of "${datasetName}" show only one class, ${only}${hint}: annotate background and at least one object class`, { classes: [...labelled] });
  }
}

function versionInfo(ws: Workspace, item: PlannedItem): AnnotationVersionInfo {
  const info = ws.annotations.history(item.imageId).find((v) => v.id === item.annotationVersionId);
  if (!info) throw new UnetError('NOT_FOUND', `annotation version ${item.annotationVersionId} of image ${item.imageId} is gone`);
  return info;
}

/** One image ready for the engine: normalised gray pixels and the annotation maps. */
export interface TrainingSample {
  imageId: number;
  name: string;
  split: Split;
  width: number;
  height: number;
  image: Float32Array;
  classMap: Uint8Array;
  instanceMap: Uint32Array;
}

/** How a run scaled intensities: one normalisation for the data set, or each image by its own percentiles. */
export type RunNormalization = NormalizationParams | { kind: 'percentile-per-image'; lowPct: number; highPct: number };

export interface LoadedTrainingData {
  train: TrainingSample[];
  validation: TrainingSample[];
  normalization: RunNormalization;
}

/**
 * Reads the planned images (first frame, as gray) and their annotation versions, and normalises all of
 * them with one percentile normalisation computed over the training images (recorded with the run).
 */
export async function loadTrainingData(
  ws: Workspace,
  plan: Pick<TrainingPlan, 'train' | 'validation'>,
  onImage?: (done: number, total: number) => void,
  /** A run's recorded normalisation (when resuming), or 'per-image'; by default computed over the training images. */
  mode: RunNormalization | 'dataset' | 'per-image' = 'dataset',
): Promise<LoadedTrainingData> {
  const all = [...plan.train, ...plan.validation];
  const raw: Float32Array[] = [];
  for (const [index, item] of all.entries()) {
    const decoded = toGray(await readImage(item.path));
    if (decoded.width !== item.width || decoded.height !== item.height) {
      throw new UnetError('INVALID_ARGUMENT', `${item.name} is now ${decoded.width}x${decoded.height}, recorded as ${item.width}x${item.height}: the file changed`, { imageId: item.imageId, usage: true });
    }
    raw.push(toFloat32(decoded));
    onImage?.(index + 1, all.length);
  }
  const perImage = mode === 'per-image' || (typeof mode === 'object' && mode.kind === 'percentile-per-image');
  const normalization: RunNormalization = perImage
    ? { kind: 'percentile-per-image', lowPct: 1, highPct: 99.8 }
    : typeof mode === 'object' && mode.kind === 'percentile'
      ? mode
      : computeDatasetNormalization(raw.slice(0, plan.train.length));
  const samples = all.map((item, index): TrainingSample => {
    const annotation = ws.annotations.byId(item.annotationVersionId);
    const params = normalization.kind === 'percentile' ? normalization : computePercentileNormalization(raw[index], normalization.lowPct, normalization.highPct);
    return {
      imageId: item.imageId,
      name: item.name,
      split: item.split,
      width: item.width,
      height: item.height,
      image: applyNormalization(raw[index], params, raw[index]),
      classMap: annotation.classMap,
      instanceMap: annotation.instanceMap,
    };
  });
  return { train: samples.slice(0, plan.train.length), validation: samples.slice(plan.train.length), normalization };
}
