import { UnetError } from '../../contract/errors';
import { compactLabels, type CompactLabels } from '../label-index';

/**
 * Overlap counts between a reference (truth) and a predicted labelling, the basis of every object metric.
 * Labels are compacted to 1..count (0 = none); pair counts are kept sparse.
 */
export interface Contingency {
  /** Pixels counted in the pairs (all, or those with a non-zero truth label). */
  n: number;
  truthCount: number;
  predCount: number;
  /** Size of each compact truth / predicted label over the WHOLE image (index 0 = unlabelled pixels). */
  truthSizes: Float64Array;
  predSizes: Float64Array;
  /** Sparse table: pixels with truth label pairTruth[k] and predicted label pairPred[k] number pairCount[k]. */
  pairTruth: Int32Array;
  pairPred: Int32Array;
  pairCount: Float64Array;
  /** Original label values of the compact labels. */
  truthValues: Float64Array;
  predValues: Float64Array;
}

const DENSE_LIMIT = 1 << 22;

/**
 * With `restrictToTruth` (default) only pixels whose truth label is non-zero enter the pairs; sizes always cover
 * the whole image. The truth may be given compacted already (compactLabels), as when one truth is scored
 * against many labellings.
 */
export function contingencyTable(
  truth: ArrayLike<number> | CompactLabels,
  pred: ArrayLike<number>,
  restrictToTruth = true,
): Contingency {
  const total = isCompact(truth) ? truth.index.length : truth.length;
  if (total !== pred.length) {
    throw new UnetError('INVALID_ARGUMENT', `label images differ in size: ${total} vs ${pred.length}`);
  }
  const t = isCompact(truth) ? truth : compactLabels(truth);
  const p = compactLabels(pred);
  const nt = t.count + 1;
  const np = p.count + 1;
  const truthSizes = new Float64Array(nt);
  const predSizes = new Float64Array(np);
  const ti = t.index;
  const pi = p.index;
  for (let i = 0; i < total; i++) {
    truthSizes[ti[i]]++;
    predSizes[pi[i]]++;
  }
  let n = 0;
  let pairTruth: number[] | Int32Array = [];
  let pairPred: number[] | Int32Array = [];
  let pairCount: number[] | Float64Array = [];
  if (nt * np <= DENSE_LIMIT) {
    const table = new Float64Array(nt * np);
    for (let i = 0; i < total; i++) {
      const a = ti[i];
      if (restrictToTruth && a === 0) continue;
      table[a * np + pi[i]]++;
      n++;
    }
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let k = 0; k < table.length; k++) {
      if (table[k] !== 0) {
        a.push(Math.floor(k / np));
        b.push(k % np);
        c.push(table[k]);
      }
    }
    [pairTruth, pairPred, pairCount] = [a, b, c];
  } else {
    // Many labels on both sides: a hash map, with the last key cached because neighbouring pixels repeat it.
    const map = new Map<number, number>();
    let lastKey = -1;
    let lastCount = 0;
    for (let i = 0; i < total; i++) {
      const a = ti[i];
      if (restrictToTruth && a === 0) continue;
      n++;
      const key = a * np + pi[i];
      if (key === lastKey) {
        lastCount++;
        continue;
      }
      if (lastKey >= 0) map.set(lastKey, (map.get(lastKey) ?? 0) + lastCount);
      lastKey = key;
      lastCount = 1;
    }
    if (lastKey >= 0) map.set(lastKey, (map.get(lastKey) ?? 0) + lastCount);
    const keys = Array.from(map.keys()).sort((x, y) => x - y);
    pairTruth = keys.map((k) => Math.floor(k / np));
    pairPred = keys.map((k) => k % np);
    pairCount = keys.map((k) => map.get(k) as number);
  }
  return {
    n,
    truthCount: t.count,
    predCount: p.count,
    truthSizes,
    predSizes,
    pairTruth: Int32Array.from(pairTruth),
    pairPred: Int32Array.from(pairPred),
    pairCount: Float64Array.from(pairCount),
    truthValues: t.values,
    predValues: p.values,
  };
}

function isCompact(labels: ArrayLike<number> | CompactLabels): labels is CompactLabels {
  return (labels as CompactLabels).index instanceof Int32Array && typeof (labels as CompactLabels).count === 'number';
}
