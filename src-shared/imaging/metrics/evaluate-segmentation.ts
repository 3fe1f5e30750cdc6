import { UnetError } from '../../contract/errors';
import { connectedComponents } from '../connected-components';
import type { LabelArray } from '../types';
import { assertImageSize, assertLength } from '../validate';
import { contingencyTable } from './contingency';
import { informationFromContingency } from './information-scores';
import { matchingFromContingency, type MatchingScores } from './object-matching';
import { pixelError } from './pixel-error';
import { pixelIoU } from './pixel-iou';
import { randFromContingency } from './rand-scores';
import { segFromContingency } from './seg-score';
import { warpingError } from './warping-error';

/** A segmentation: class map (0 = unlabeled, 1 = background, 2.. = classes) and optionally its objects. */
export interface SegmentationMaps {
  classMap: Uint8Array;
  /** Object labels (0 = none). When absent, the connected components of the foreground (class >= 2). */
  instances?: LabelArray;
}

export interface EvaluationOptions {
  /** IoU thresholds for object matching; 0.5 is always included (for ap50 etc.). */
  iouThresholds?: number[];
  /** Connectivity of the components derived when instances are absent (default 4, as ISBI). */
  connectivity?: 4 | 8;
  /** Compute the warping error (linear time, default true). */
  warping?: boolean;
}

/** Every metric of one image, the record kept per run and shown by the CLI and UI. */
export interface SegmentationEvaluation {
  /** Foreground pixel IoU (all classes >= 2 against background). */
  iou: number;
  iouPerClass: Record<number, number>;
  meanIou: number;
  /** Cell Tracking Challenge SEG. */
  seg: number;
  /** ISBI 2012 foreground-restricted Rand F-score and Rand error = 1 - vRand. */
  vRand: number;
  randError: number;
  /** ISBI 2012 foreground-restricted information-theoretic score. */
  vInfo: number;
  pixelError: number;
  ap50: number;
  precision50: number;
  recall50: number;
  f1_50: number;
  /** Matching scores at every requested threshold, ascending. */
  matching: MatchingScores[];
  warpingError?: number;
  truthObjects: number;
  predictedObjects: number;
}

function objectsOf(maps: SegmentationMaps, width: number, height: number, connectivity: 4 | 8): LabelArray {
  if (maps.instances) {
    assertLength(maps.instances, width * height, 'instances');
    return maps.instances;
  }
  const fg = new Uint8Array(maps.classMap.length);
  for (let i = 0; i < fg.length; i++) fg[i] = maps.classMap[i] >= 2 ? 1 : 0;
  return connectedComponents(fg, width, height, connectivity).labels;
}

export function evaluateSegmentation(
  pred: SegmentationMaps,
  truth: SegmentationMaps,
  width: number,
  height: number,
  options: EvaluationOptions = {},
): SegmentationEvaluation {
  assertImageSize(width, height);
  if (!pred || !truth || !(pred.classMap instanceof Uint8Array) || !(truth.classMap instanceof Uint8Array)) {
    throw new UnetError('INVALID_ARGUMENT', 'pred and truth need a Uint8Array classMap');
  }
  assertLength(pred.classMap, width * height, 'pred.classMap');
  assertLength(truth.classMap, width * height, 'truth.classMap');
  const connectivity = options.connectivity ?? 4;
  const truthObjects = objectsOf(truth, width, height, connectivity);
  const predObjects = objectsOf(pred, width, height, connectivity);

  const ious = pixelIoU(pred.classMap, truth.classMap, width, height);
  const table = contingencyTable(truthObjects, predObjects, true);
  const rand = randFromContingency(table);
  const info = informationFromContingency(table);
  const seg = segFromContingency(table);
  const thresholds = Array.from(new Set([0.5, ...(options.iouThresholds ?? [])])).sort((a, b) => a - b);
  const matching = matchingFromContingency(table, thresholds);
  const at50 = matching.find((m) => m.threshold === 0.5) as MatchingScores;

  const result: SegmentationEvaluation = {
    iou: ious.foreground,
    iouPerClass: ious.perClass,
    meanIou: ious.mean,
    seg: seg.seg,
    vRand: rand.vRand,
    randError: rand.randError,
    vInfo: info.vInfo,
    pixelError: pixelError(pred.classMap, truth.classMap, width, height),
    ap50: at50.ap,
    precision50: at50.precision,
    recall50: at50.recall,
    f1_50: at50.f1,
    matching,
    truthObjects: table.truthCount,
    predictedObjects: table.predCount,
  };
  if (options.warping ?? true) {
    const fg = (m: Uint8Array) => m.map((c) => (c >= 2 ? 1 : 0));
    result.warpingError = warpingError(fg(pred.classMap), fg(truth.classMap), width, height).warpingError;
  }
  return result;
}
