/** Segmentation metrics: pixel IoU, CTC SEG, ISBI 2012 (pixel, Rand, information, warping), object matching. */
export { contingencyTable, type Contingency } from './contingency';
export { pixelIoU, type PixelIoU } from './pixel-iou';
export { pixelError } from './pixel-error';
export { segScore, segScorePerObject, segFromContingency, type SegResult } from './seg-score';
export { randScores, randFromContingency, type RandOptions, type RandScores } from './rand-scores';
export {
  informationScores,
  informationFromContingency,
  type InformationOptions,
  type InformationScores,
} from './information-scores';
export { warpingError, SIMPLE_POINT_4_8, type WarpingResult } from './warping-error';
export { objectMatching, matchingFromContingency, type MatchingScores } from './object-matching';
export {
  evaluateSegmentation,
  type SegmentationMaps,
  type EvaluationOptions,
  type SegmentationEvaluation,
} from './evaluate-segmentation';
export { baselineVerdict, VERDICT_METRICS, type BaselineVerdict } from './baseline-verdict';
