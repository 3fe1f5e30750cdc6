import { assertImageSize, assertLength } from '../validate';
import { contingencyTable, type Contingency } from './contingency';

/**
 * Information-theoretic scoring (Arganda-Carreras et al. 2015; Fiji VariationOfInformation.foregroundRestricted*),
 * over pixels whose truth label is non-zero, natural logarithms, probabilities normalised by that pixel count n:
 *   H(T), H(S) entropies of truth and prediction; mutual information I = H(T) + H(S) - H(T,S);
 *   split score I / H(S), merge score I / H(T), V_info = their harmonic mean; VOI = H(T|S) + H(S|T).
 * Predicted label 0 inside truth objects counts as singletons by default (ISBI), or as a label (as skimage).
 */
export interface InformationOptions {
  predictedBackground?: 'singletons' | 'label';
  /** Count only pixels with a non-zero truth label (default true, the ISBI foreground restriction). */
  restrictToTruth?: boolean;
}

export interface InformationScores {
  /** ISBI V_info: harmonic mean of I/H(S) and I/H(T); 1 = identical partitions. */
  vInfo: number;
  /** I / H(S): 1 when no truth object is split (V_info split). */
  split: number;
  /** I / H(T): 1 when no predicted object merges truth objects (V_info merge). */
  merge: number;
  /** Variation of information H(T|S) + H(S|T), in nats. */
  voi: number;
  /** H(S|T): false splits, nats. */
  hPredGivenTruth: number;
  /** H(T|S): false merges, nats. */
  hTruthGivenPred: number;
  hTruth: number;
  hPred: number;
}

const xlogx = (x: number): number => (x > 0 ? x * Math.log(x) : 0);

export function informationFromContingency(c: Contingency, options: InformationOptions = {}): InformationScores {
  const singletons = (options.predictedBackground ?? 'singletons') === 'singletons';
  const n = c.n;
  const truthIn = new Float64Array(c.truthCount + 1);
  const predIn = new Float64Array(c.predCount + 1);
  let sumJoint = 0;
  let singletonMass = 0;
  for (let k = 0; k < c.pairCount.length; k++) {
    const p = c.pairCount[k] / n;
    truthIn[c.pairTruth[k]] += p;
    predIn[c.pairPred[k]] += p;
    if (c.pairPred[k] === 0 && singletons) singletonMass += p;
    else sumJoint += xlogx(p);
  }
  let sumT = 0;
  for (const p of truthIn) sumT += xlogx(p);
  let sumS = 0;
  for (let j = singletons ? 1 : 0; j < predIn.length; j++) sumS += xlogx(predIn[j]);
  // Each singleton has probability 1/n: together they add singletonMass * log(1/n).
  const singletonTerm = singletonMass > 0 ? singletonMass * Math.log(n) : 0;
  sumS -= singletonTerm;
  sumJoint -= singletonTerm;
  const hTruth = -sumT;
  const hPred = -sumS;
  const hTruthGivenPred = sumS - sumJoint;
  const hPredGivenTruth = sumT - sumJoint;
  const mutual = hTruth - hTruthGivenPred;
  let split: number;
  let merge: number;
  if (hTruth === 0 && hPred === 0) {
    // One object on each side covering the same pixels: identical partitions.
    split = 1;
    merge = 1;
  } else if (hTruth === 0) {
    // A single truth object: nothing can be merged, and any predicted structure is a split (I = 0).
    split = 0;
    merge = 1;
  } else if (hPred === 0) {
    split = 1;
    merge = 0;
  } else {
    split = mutual / hPred;
    merge = mutual / hTruth;
  }
  const vInfo = split + merge > 0 ? (2 * split * merge) / (split + merge) : 0;
  return {
    vInfo,
    split,
    merge,
    voi: Math.max(0, hTruthGivenPred) + Math.max(0, hPredGivenTruth),
    hPredGivenTruth: Math.max(0, hPredGivenTruth),
    hTruthGivenPred: Math.max(0, hTruthGivenPred),
    hTruth,
    hPred,
  };
}

export function informationScores(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  width: number,
  height: number,
  options: InformationOptions = {},
): InformationScores {
  assertImageSize(width, height);
  assertLength(truth, width * height, 'truth');
  assertLength(pred, width * height, 'pred');
  return informationFromContingency(contingencyTable(truth, pred, options.restrictToTruth ?? true), options);
}
