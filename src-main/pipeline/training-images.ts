import { existsSync } from 'node:fs';
import { UnetError } from '../../src-shared/contract/errors';
import { BACKGROUND_CLASS, type AnnotationVersionInfo, type ClassDef, type ImageRecord, type Split } from '../../src-shared/contract/records';
import { planeSelection, type ImagePlane } from '../../src-shared/imaging/image-plane';
import { backgroundLevel, invertIfBrightBackground, mixesBackgrounds } from '../../src-shared/imaging/background-polarity';
import { applyNormalization, computeDatasetNormalization, computePercentileNormalization, type NormalizationParams } from '../../src-shared/imaging/normalization';
import { toFloat32, toGray } from '../io/image-convert';
import { readImagePlane } from '../io/read-plane';
import type { TrainingItem } from '../store/images-repository';
import type { Workspace } from '../store/workspace';
import { decideSplit, type SplitCandidate } from './split-rule';

/** An image of a run's membership with the exact annotation version it trains or validates on. */
export interface PlannedItem extends TrainingItem {
  split: 'train' | 'validation';
}

export interface TrainingPlan {
  datasetId: number;
  train: PlannedItem[];
  validation: PlannedItem[];
  /** True when the data set had no train or validation split and its annotated images were split here. */
  automaticSplit: boolean;
  classes: ClassDef[];
  /** The plane of every image that trains and validates: the data set's. */
  plane: ImagePlane;
  /** K of the network: class values 0..max (0 = unlabelled, never a target). */
  numClasses: number;
  classNames: string[];
}

function usage(message: string, details: Record<string, unknown> = {}): UnetError {
  return new UnetError('INVALID_ARGUMENT', message, { ...details, usage: true });
}

/** An image as the split rule sees it. */
export function splitCandidate(image: Pick<ImageRecord, 'id' | 'split' | 'annotationVersion'>): SplitCandidate {
  return { imageId: image.id, split: image.split, annotated: image.annotationVersion > 0 };
}

/**
 * Decides what a run trains and validates on and checks it before anything starts: the split of
 * `decideSplit` (the user's train and validation splits, or a seeded 80/20 split of the annotated
 * images in no split), each image's latest annotation version, and the problems that would only
 * surface later: no images, no annotated pixels, a single class painted, annotations whose size
 * differs from the image, missing files.
 */
export function planTraining(ws: Workspace, datasetId: number, seed: number): TrainingPlan {
  const dataset = ws.datasets.get(datasetId);
  if (dataset.imageCount === 0) throw usage(`data set "${dataset.name}" has no images: import some first`, { datasetId });
  if (dataset.annotatedCount === 0) throw usage(`data set "${dataset.name}" has no annotated images: paint or import ground truth first`, { datasetId });
  const decision = decideSplit(ws.images.all(datasetId).map(splitCandidate), seed);
  if (decision.trainIds.length === 0) {
    throw decision.mode === 'manual'
      ? usage(`data set "${dataset.name}" has no annotated images in its train split: put some there in the Library, or clear the splits to split automatically`, { datasetId })
      : usage(`every annotated image of data set "${dataset.name}" is in the test split: leave some in no split, or put some in train`, { datasetId });
  }
  const train = decision.trainIds.map((id) => plannedItem(ws, id, 'train'));
  const validation = decision.validationIds.map((id) => plannedItem(ws, id, 'validation'));
  const classes = ws.datasets.classes(datasetId);
  checkItems(ws, dataset.name, [...train, ...validation], classes);
  const numClasses = Math.max(2, ...classes.map((c) => c.value)) + 1;
  const classNames = Array.from({ length: numClasses }, (_, v) => (v === 0 ? 'unlabeled' : (classes.find((c) => c.value === v)?.name ?? `class ${v}`)));
  return { datasetId, train, validation, automaticSplit: decision.mode === 'automatic', classes, plane: ws.datasets.plane(datasetId), numClasses, classNames };
}

/** An image of the plan with its latest annotation version. */
function plannedItem(ws: Workspace, imageId: number, split: PlannedItem['split']): PlannedItem {
  const image = ws.images.get(imageId);
  const version = ws.annotations.history(imageId)[0];
  return { imageId, name: image.name, path: image.path, width: image.width, height: image.height, split, annotationVersionId: version.id, annotationVersion: version.version };
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
export interface TrainingImage {
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
/**
 * How a run scales its images: one percentile normalisation for all (recorded), or each image by its own
 * percentiles, with bright-background images inverted when the training images mix bright and dark
 * backgrounds (src-shared/imaging/background-polarity).
 */
export type RunNormalization = NormalizationParams | { kind: 'percentile-per-image'; lowPct: number; highPct: number; invertBrightBackground?: boolean };

export interface LoadedTrainingImages {
  train: TrainingImage[];
  validation: TrainingImage[];
  normalization: RunNormalization;
}

/**
 * Reads the planned images (the plan's plane, as gray) and their annotation versions, and normalises
 * all of them with one percentile normalisation computed over the training images (recorded with the run).
 */
export async function loadTrainingImages(
  ws: Workspace,
  plan: Pick<TrainingPlan, 'train' | 'validation' | 'plane'>,
  onImage?: (done: number, total: number) => void,
  /** A run's recorded normalisation (when resuming), or 'per-image'; by default computed over the training images. */
  mode: RunNormalization | 'dataset' | 'per-image' = 'dataset',
): Promise<LoadedTrainingImages> {
  const all = [...plan.train, ...plan.validation];
  const raw: Float32Array[] = [];
  for (const [index, item] of all.entries()) {
    const decoded = toGray((await readImagePlane(item.path, planeSelection(plan.plane))).image);
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
  const samples = all.map((item, index): TrainingImage => {
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
  if (normalization.kind === 'percentile-per-image') {
    // A resumed run keeps its recorded choice; a new one decides on its training images.
    const recorded = typeof mode === 'object' && mode.kind === 'percentile-per-image' ? mode.invertBrightBackground === true : null;
    const invert = recorded ?? mixesBackgrounds(samples.slice(0, plan.train.length).map((s) => backgroundLevel(s.image)));
    if (invert) {
      for (const s of samples) invertIfBrightBackground(s.image);
      normalization.invertBrightBackground = true;
    }
  }
  return { train: samples.slice(0, plan.train.length), validation: samples.slice(plan.train.length), normalization };
}
