import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { evaluateSegmentation } from '../../src-shared/imaging/metrics/evaluate-segmentation';
import type { StackPosition } from '../../src-shared/imaging/stack-axes';
import { readImage } from '../io/read-image';
import { readImageOrPlane } from '../io/read-plane';
import { maskToAnnotation } from '../store/import/mask-to-annotation';
import { fileStem, pairFolders } from '../io/image-pairs';
import { baselineSettings, scoreBaseline, type BaselinePolarity, type BaselineSettings } from '../pipeline/otsu-baseline';
import { meanMetrics, metricValues, type ReportedMetric } from '../pipeline/segmentation-metrics';

export interface ImageEvaluation {
  name: string;
  prediction: string;
  mask: string;
  truthObjects: number;
  predictedObjects: number;
  metrics: Record<ReportedMetric, number | null>;
}

export interface FolderEvaluation {
  images: ImageEvaluation[];
  mean: Record<ReportedMetric, number | null>;
  /** Predictions without a mask of the same name, and masks without a prediction. */
  unmatchedPredictions: string[];
  unmatchedMasks: string[];
  /** The Otsu baseline on the same images, when the images were given. */
  baseline?: BaselineEvaluation;
}

/** An Otsu threshold scored against the same masks as the model. */
export interface BaselineEvaluation {
  settings: BaselineSettings;
  images: { name: string; image: string; polarity: 'bright' | 'dark'; objects: number; metrics: Record<ReportedMetric, number | null> }[];
  mean: Record<ReportedMetric, number | null>;
  /** Scored masks without an image of the same name (left out of the baseline). */
  missingImages: string[];
}

/** Reads a mask or prediction file as labels: {0,255}/{0,1} = foreground, other integers = instance ids. */
export async function readLabelFile(file: string): Promise<ReturnType<typeof maskToAnnotation> & { width: number; height: number }> {
  const image = await readImage(file);
  return { ...maskToAnnotation(image), width: image.width, height: image.height };
}

/** Scores one predicted label file against one ground-truth mask file. */
export async function evaluateFiles(predictionFile: string, maskFile: string): Promise<Omit<ImageEvaluation, 'name'>> {
  const [pred, truth] = await Promise.all([readLabelFile(predictionFile), readLabelFile(maskFile)]);
  if (pred.width !== truth.width || pred.height !== truth.height) {
    throw new UnetError('INVALID_ARGUMENT', `${path.basename(predictionFile)} is ${pred.width}x${pred.height} but its mask is ${truth.width}x${truth.height}`);
  }
  const evaluation = evaluateSegmentation(
    { classMap: pred.classMap, instances: pred.instanceMap },
    { classMap: truth.classMap, instances: truth.instanceMap },
    truth.width,
    truth.height,
  );
  return {
    prediction: predictionFile,
    mask: maskFile,
    truthObjects: evaluation.truthObjects,
    predictedObjects: evaluation.predictedObjects,
    metrics: metricValues(evaluation),
  };
}

/**
 * Scores every prediction in `predDir` that has a mask of the same name in `masksDir`; with
 * `baseline.imagesDir`, also an Otsu threshold of the images of the same names.
 */
export async function evaluateFolders(
  predDir: string,
  masksDir: string,
  onImage?: (done: number, total: number, name: string) => void,
  baseline?: { imagesDir: string; polarity: BaselinePolarity; plane?: Partial<StackPosition> },
): Promise<FolderEvaluation> {
  const { pairs, unmatchedImages, unmatchedMasks } = await pairFolders(predDir, masksDir);
  const images: ImageEvaluation[] = [];
  for (const [i, pair] of pairs.entries()) {
    images.push({ name: pair.name, ...(await evaluateFiles(pair.image, pair.mask)) });
    onImage?.(i + 1, pairs.length, pair.name);
  }
  const result: FolderEvaluation = { images, mean: meanMetrics(images.map((i) => i.metrics)), unmatchedPredictions: unmatchedImages, unmatchedMasks };
  if (baseline) {
    const sources = await pairFolders(baseline.imagesDir, masksDir);
    const imageOf = new Map(sources.pairs.map((p) => [fileStem(p.mask).toLowerCase(), p.image]));
    const scored = images.map((e) => ({ name: e.name, mask: e.mask, image: imageOf.get(fileStem(e.mask).toLowerCase()) }));
    result.baseline = await evaluateBaseline(scored, baseline.polarity, baseline.plane ? { plane: baseline.plane } : {});
  }
  return result;
}

/**
 * The Otsu baseline of each image against its mask (the same masks the model was scored on); with
 * `plane` (0-based c, z, t), of that plane, the one the model segmented.
 */
export async function evaluateBaseline(
  items: { name: string; image: string | undefined; mask: string }[],
  polarity: BaselinePolarity,
  options: { plane?: Partial<StackPosition> } = {},
): Promise<BaselineEvaluation> {
  const images: BaselineEvaluation['images'] = [];
  const missingImages: string[] = [];
  for (const item of items) {
    if (!item.image) {
      missingImages.push(item.mask);
      continue;
    }
    const [decoded, truth] = await Promise.all([readImageOrPlane(item.image, options.plane), readLabelFile(item.mask)]);
    if (decoded.width !== truth.width || decoded.height !== truth.height) {
      throw new UnetError('INVALID_ARGUMENT', `${path.basename(item.image)} is ${decoded.width}x${decoded.height} but its mask is ${truth.width}x${truth.height}`);
    }
    const score = scoreBaseline(decoded, { classMap: truth.classMap, instances: truth.instanceMap }, polarity.polarity);
    images.push({ name: item.name, image: item.image, polarity: score.polarity, objects: score.objects, metrics: score.values });
  }
  return { settings: baselineSettings(polarity), images, mean: meanMetrics(images.map((i) => i.metrics)), missingImages };
}
