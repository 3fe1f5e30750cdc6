import { assertImageSize, assertLength } from '../validate';
import { contingencyTable, type Contingency } from './contingency';

/**
 * Rand scoring of a predicted labelling against the truth, restricted to truth-labelled pixels (Arganda-Carreras
 * et al. 2015, Front. Neuroanat., as Fiji's RandError.foregroundRestrictedStatsN2 used for ISBI 2012):
 * with p_ij = overlap counts over pixels whose truth label is non-zero, t_i = truth sizes, s_j = predicted sizes,
 *   split score  = sum p_ij^2 / sum t_i^2   (recall: 1 when no truth object is split)
 *   merge score  = sum p_ij^2 / sum s_j^2   (precision: 1 when no predicted object merges truth objects)
 *   V_rand = 2 / (1/split + 1/merge) (F-score), Rand error = 1 - V_rand.
 * Pixel pairs include each pixel with itself (N^2 normalisation). Predicted label 0 (predicted boundary inside a
 * truth object) is by default counted as singletons, one object per pixel, as in the ISBI scoring.
 */
export interface RandOptions {
  /** 'singletons' (ISBI, default): predicted 0 = one object per pixel; 'label': 0 is an ordinary label. */
  predictedBackground?: 'singletons' | 'label';
  /** 'all' (ISBI, default): sums of squares n^2; 'distinct': n(n-1), pairs of different pixels (as skimage). */
  pairs?: 'all' | 'distinct';
}

export interface RandScores {
  vRand: number;
  randError: number;
  split: number;
  merge: number;
}

export function randFromContingency(c: Contingency, options: RandOptions = {}): RandScores {
  const singletons = (options.predictedBackground ?? 'singletons') === 'singletons';
  const distinct = options.pairs === 'distinct';
  const predInTruth = new Float64Array(c.predCount + 1);
  const truthInPairs = new Float64Array(c.truthCount + 1);
  let sumP2 = 0;
  for (let k = 0; k < c.pairCount.length; k++) {
    const v = c.pairCount[k];
    const j = c.pairPred[k];
    truthInPairs[c.pairTruth[k]] += v;
    predInTruth[j] += v;
    if (j === 0 && singletons) sumP2 += v;
    else sumP2 += v * v;
  }
  let sumT2 = 0;
  for (const v of truthInPairs) sumT2 += v * v;
  let sumS2 = 0;
  for (let j = 0; j < predInTruth.length; j++) {
    const v = predInTruth[j];
    sumS2 += j === 0 && singletons ? v : v * v;
  }
  if (distinct) {
    sumP2 -= c.n;
    sumT2 -= c.n;
    sumS2 -= c.n;
  }
  // With no pair at all the labelling cannot be wrong: score 1.
  const split = sumT2 > 0 ? sumP2 / sumT2 : 1;
  const merge = sumS2 > 0 ? sumP2 / sumS2 : 1;
  const vRand = split + merge > 0 ? (2 * split * merge) / (split + merge) : 0;
  return { vRand, randError: 1 - vRand, split, merge };
}

/** Foreground-restricted Rand scores of instance labellings (0 = none in both). */
export function randScores(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  width: number,
  height: number,
  options: RandOptions = {},
): RandScores {
  assertImageSize(width, height);
  assertLength(truth, width * height, 'truth');
  assertLength(pred, width * height, 'pred');
  return randFromContingency(contingencyTable(truth, pred, true), options);
}
