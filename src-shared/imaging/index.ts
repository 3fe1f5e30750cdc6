/** Public API of the pure imaging toolkit (typed arrays + width/height; no Node, DOM or tfjs). */
export type { TypedArray, LabelArray, DisplacementField } from './types';
export { createRng, type Rng } from './rng';
export {
  outputSizeFor,
  isLegalInputSize,
  nearestLegalInputSize,
  smallestLegalInputSize,
  legalInputSizes,
  haloFor,
  planTiles,
  type Tile,
  type TilePlan,
} from './tile-geometry';
export { mirrorIndex, extractMirroredTile, mirrorPad } from './mirror';
export {
  computePercentileNormalization,
  computeDatasetNormalization,
  combineNormalization,
  applyNormalization,
  PERCENTILE_SAMPLE_LIMIT,
  type NormalizationParams,
} from './normalization';
export { euclideanDistanceTransform, squaredEdtBinaryInPlace, createEdtScratch } from './distance-transform';
export {
  weightMap,
  borderWeightTerm,
  classWeightsFor,
  nearestTwoObjectDistances,
  borderCutoffDistance,
  DEFAULT_W0,
  DEFAULT_SIGMA,
  BORDER_TERM_RELATIVE_CUTOFF,
  type WeightMapOptions,
} from './weight-map';
export { separationBorders } from './separation-borders';
export { cubicWeights, cubicUpsamplingWeights, upsampleGrid } from './interpolation';
export { warpImage, warpNearest, type Interpolation } from './warp';
export {
  createElasticField,
  createZeroField,
  addFields,
  DEFAULT_ELASTIC_GRID,
  DEFAULT_ELASTIC_SIGMA,
  type ElasticOptions,
} from './elastic-deformation';
export { createAffineField, rotate, rotateNearest, shift, type AffineOptions } from './affine';
export { dihedral, dihedralInverse, invertDihedral, dihedralSize } from './dihedral';
export {
  intensityAugment,
  applyIntensity,
  drawIntensityParams,
  DEFAULT_INTENSITY_OPTIONS,
  RUN_GAMMA_RANGE,
  type IntensityOptions,
  type IntensityParams,
} from './intensity-augmentation';
export { augmentSample, DEFAULT_AUGMENT_OPTIONS, type AugmentOptions, type AugmentSample } from './augmentation';
export { compactLabels, type CompactLabels } from './label-index';
export {
  connectedComponents,
  relabelSequential,
  instancesFromBinary,
  type Components,
  type ComponentOptions,
} from './connected-components';
export * from './metrics/index';
export { gaussianBlur, gaussianKernel } from './gaussian-blur';
export {
  otsuThreshold,
  otsuSplit,
  otsuSegmentation,
  segmentationFromSplit,
  minorityPolarity,
  polarityFromAnnotations,
  OTSU_SIGMA,
  OTSU_BINS,
  type Polarity,
  type OtsuSplit,
  type OtsuSegmentation,
  type AnnotatedSplit,
} from './otsu';
