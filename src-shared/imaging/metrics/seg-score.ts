import { assertImageSize, assertLength } from '../validate';
import { contingencyTable, type Contingency } from './contingency';

/**
 * Cell Tracking Challenge SEG: each reference object R is matched to the predicted object S with
 * |R ∩ S| > 0.5 |R| (at most one can qualify); J = |R ∩ S| / |R ∪ S|, 0 when unmatched; SEG = mean J over
 * reference objects. NaN when there is no reference object.
 */
export interface SegResult {
  seg: number;
  /** J per reference object, in ascending order of its label value. */
  perObject: Float64Array;
  referenceLabels: Float64Array;
}

export function segFromContingency(c: Contingency): SegResult {
  const best = new Float64Array(c.truthCount + 1);
  for (let k = 0; k < c.pairCount.length; k++) {
    const r = c.pairTruth[k];
    const s = c.pairPred[k];
    if (r === 0 || s === 0) continue;
    const inter = c.pairCount[k];
    const sizeR = c.truthSizes[r];
    if (inter > 0.5 * sizeR) best[r] = inter / (sizeR + c.predSizes[s] - inter);
  }
  const perObject = best.slice(1);
  let sum = 0;
  for (const j of perObject) sum += j;
  return { seg: perObject.length > 0 ? sum / perObject.length : Number.NaN, perObject, referenceLabels: c.truthValues.slice(1) };
}

/** SEG of a predicted instance labelling against reference instances (0 = none in both). */
export function segScore(reference: ArrayLike<number>, predicted: ArrayLike<number>, width: number, height: number): number {
  return segScorePerObject(reference, predicted, width, height).seg;
}

/** SEG with the score of every reference object. */
export function segScorePerObject(
  reference: ArrayLike<number>,
  predicted: ArrayLike<number>,
  width: number,
  height: number,
): SegResult {
  assertImageSize(width, height);
  assertLength(reference, width * height, 'reference');
  assertLength(predicted, width * height, 'predicted');
  return segFromContingency(contingencyTable(reference, predicted, true));
}
