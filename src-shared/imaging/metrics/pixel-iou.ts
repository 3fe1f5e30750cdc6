import { assertImageSize, assertLength } from '../validate';

/**
 * Pixel IoU (Jaccard) |P ∩ G| / |P ∪ G| per class and for the foreground (every class >= 2 against
 * background 1). Pixels unlabelled in the truth (class 0) are ignored; a predicted 0 counts as no class.
 * A class absent from both truth and prediction has no IoU (left out of perClass and of the mean).
 */
export interface PixelIoU {
  perClass: Record<number, number>;
  /** Mean over the classes in perClass (background included). */
  mean: number;
  /** Foreground (class >= 2) against background; NaN when neither has any foreground. */
  foreground: number;
}

export function pixelIoU(pred: Uint8Array, truth: Uint8Array, width: number, height: number): PixelIoU {
  assertImageSize(width, height);
  assertLength(pred, width * height, 'pred');
  assertLength(truth, width * height, 'truth');
  const inter = new Float64Array(256);
  const predCount = new Float64Array(256);
  const truthCount = new Float64Array(256);
  let fgInter = 0;
  let fgPred = 0;
  let fgTruth = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t === 0) continue;
    const p = pred[i];
    truthCount[t]++;
    predCount[p]++;
    if (p === t) inter[t]++;
    const pf = p >= 2;
    const tf = t >= 2;
    if (pf) fgPred++;
    if (tf) fgTruth++;
    if (pf && tf) fgInter++;
  }
  const perClass: Record<number, number> = {};
  let sum = 0;
  let classes = 0;
  for (let c = 1; c < 256; c++) {
    const union = predCount[c] + truthCount[c] - inter[c];
    if (union === 0) continue;
    perClass[c] = inter[c] / union;
    sum += perClass[c];
    classes++;
  }
  const fgUnion = fgPred + fgTruth - fgInter;
  return {
    perClass,
    mean: classes > 0 ? sum / classes : Number.NaN,
    foreground: fgUnion > 0 ? fgInter / fgUnion : Number.NaN,
  };
}
