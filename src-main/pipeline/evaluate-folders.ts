import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { evaluateSegmentation } from '../../src-shared/imaging/metrics/evaluate-segmentation';
import { readImage } from '../io/read-image';
import { maskToAnnotation } from '../store/import/mask-to-annotation';
import { pairFolders } from './image-pairs';
import { meanMetrics, metricValues, type ReportedMetric } from './segmentation-metrics';

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

/** Scores every prediction in `predDir` that has a mask of the same name in `masksDir`. */
export async function evaluateFolders(predDir: string, masksDir: string, onImage?: (done: number, total: number, name: string) => void): Promise<FolderEvaluation> {
  const { pairs, unmatchedImages, unmatchedMasks } = await pairFolders(predDir, masksDir);
  const images: ImageEvaluation[] = [];
  for (const [i, pair] of pairs.entries()) {
    images.push({ name: pair.name, ...(await evaluateFiles(pair.image, pair.mask)) });
    onImage?.(i + 1, pairs.length, pair.name);
  }
  return { images, mean: meanMetrics(images.map((i) => i.metrics)), unmatchedPredictions: unmatchedImages, unmatchedMasks };
}
