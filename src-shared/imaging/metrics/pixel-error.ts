import { assertImageSize, assertLength } from '../validate';

/**
 * ISBI 2012 pixel error: 1 - pixel accuracy of the binary foreground/boundary map, i.e. the fraction of
 * truth-labelled pixels (class != 0) where (pred >= 2) differs from (truth >= 2). NaN with no labelled pixel.
 */
export function pixelError(pred: Uint8Array, truth: Uint8Array, width: number, height: number): number {
  assertImageSize(width, height);
  assertLength(pred, width * height, 'pred');
  assertLength(truth, width * height, 'truth');
  let labelled = 0;
  let wrong = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t === 0) continue;
    labelled++;
    if (t >= 2 !== pred[i] >= 2) wrong++;
  }
  return labelled > 0 ? wrong / labelled : Number.NaN;
}
