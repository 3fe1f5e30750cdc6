import { UnetError } from '../../contract/errors';
import { assertImageSize, assertLength } from '../validate';
import { contingencyTable, type Contingency } from './contingency';

/**
 * Object detection scores at IoU thresholds, as StarDist's matching: a truth and a predicted object may be paired
 * when IoU >= threshold; TP = the largest number of disjoint pairs (maximum bipartite matching; for thresholds
 * >= 0.5 pairs are unique anyway), FP = unpaired predictions, FN = unpaired truth objects.
 * precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN), AP ("accuracy") = TP/(TP+FP+FN).
 * With no object on either side every score is 1; a zero denominator otherwise gives 0.
 */
export interface MatchingScores {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  ap: number;
  /** Mean IoU of the matched pairs (NaN without matches). */
  meanMatchedIoU: number;
}

interface Candidate {
  truth: number;
  pred: number;
  iou: number;
}

function candidatesFrom(c: Contingency): Candidate[] {
  const list: Candidate[] = [];
  for (let k = 0; k < c.pairCount.length; k++) {
    const t = c.pairTruth[k];
    const p = c.pairPred[k];
    if (t === 0 || p === 0) continue;
    const inter = c.pairCount[k];
    list.push({ truth: t, pred: p, iou: inter / (c.truthSizes[t] + c.predSizes[p] - inter) });
  }
  // Best pairs first, ties by label, so the matching is deterministic.
  return list.sort((a, b) => b.iou - a.iou || a.truth - b.truth || a.pred - b.pred);
}

/** Maximum bipartite matching (greedy by IoU, then augmenting paths); returns matchOfTruth[t] = pred or 0. */
function maximumMatching(candidates: Candidate[], truthCount: number, predCount: number): Int32Array {
  const adjacency: number[][] = Array.from({ length: truthCount + 1 }, () => []);
  for (const c of candidates) adjacency[c.truth].push(c.pred);
  const matchOfTruth = new Int32Array(truthCount + 1);
  const matchOfPred = new Int32Array(predCount + 1);
  for (const c of candidates) {
    if (matchOfTruth[c.truth] === 0 && matchOfPred[c.pred] === 0) {
      matchOfTruth[c.truth] = c.pred;
      matchOfPred[c.pred] = c.truth;
    }
  }
  const visited = new Int32Array(predCount + 1);
  let stamp = 0;
  const augment = (t: number): boolean => {
    for (const p of adjacency[t]) {
      if (visited[p] === stamp) continue;
      visited[p] = stamp;
      if (matchOfPred[p] === 0 || augment(matchOfPred[p])) {
        matchOfTruth[t] = p;
        matchOfPred[p] = t;
        return true;
      }
    }
    return false;
  };
  for (let t = 1; t <= truthCount; t++) {
    if (matchOfTruth[t] !== 0 || adjacency[t].length === 0) continue;
    stamp++;
    augment(t);
  }
  return matchOfTruth;
}

export function matchingFromContingency(c: Contingency, thresholds: number[]): MatchingScores[] {
  const all = candidatesFrom(c);
  return thresholds.map((threshold) => {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new UnetError('INVALID_ARGUMENT', `IoU threshold must be in [0, 1], got ${threshold}`);
    }
    // IoU 0 never counts as an overlap.
    const candidates = all.filter((x) => x.iou >= threshold && x.iou > 0);
    const matchOfTruth = maximumMatching(candidates, c.truthCount, c.predCount);
    const iouOf = new Map<number, number>();
    for (const x of candidates) iouOf.set(x.truth * (c.predCount + 1) + x.pred, x.iou);
    let tp = 0;
    let iouSum = 0;
    for (let t = 1; t <= c.truthCount; t++) {
      const p = matchOfTruth[t];
      if (p === 0) continue;
      tp++;
      iouSum += iouOf.get(t * (c.predCount + 1) + p) as number;
    }
    const fp = c.predCount - tp;
    const fn = c.truthCount - tp;
    const empty = c.truthCount === 0 && c.predCount === 0;
    const ratio = (num: number, den: number): number => (empty ? 1 : den > 0 ? num / den : 0);
    return {
      threshold,
      tp,
      fp,
      fn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      ap: ratio(tp, tp + fp + fn),
      meanMatchedIoU: tp > 0 ? iouSum / tp : Number.NaN,
    };
  });
}

/** Matching scores of two instance labellings (0 = none) at each IoU threshold (default 0.5). */
export function objectMatching(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  width: number,
  height: number,
  thresholds: number[] = [0.5],
): MatchingScores[] {
  assertImageSize(width, height);
  assertLength(truth, width * height, 'truth');
  assertLength(pred, width * height, 'pred');
  return matchingFromContingency(contingencyTable(truth, pred, true), thresholds);
}
