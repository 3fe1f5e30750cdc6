import { UnetError } from '../contract/errors';
import { connectedComponents } from './connected-components';
import { gaussianBlur } from './gaussian-blur';
import { assertImageSize, assertLength } from './validate';

/**
 * The baseline every score is shown beside: Otsu's threshold on the image smoothed by a Gaussian of
 * sigma 1, its foreground the side of the threshold that the annotations call foreground, its objects
 * the 4-connected components of that foreground.
 */

/** Which side of the threshold is foreground: brighter than the threshold, or not. */
export type Polarity = 'bright' | 'dark';

export const OTSU_SIGMA = 1;
export const OTSU_BINS = 256;

/**
 * Otsu's threshold as scikit-image's `threshold_otsu` computes it for float images: a histogram of
 * `bins` equal bins over [min, max], the bin centre that maximises the between-class variance.
 * Foreground is `value > threshold`. Non-finite values are ignored; a constant image returns its value.
 */
export function otsuThreshold(values: ArrayLike<number>, bins = OTSU_BINS): number {
  if (!Number.isInteger(bins) || bins < 2) throw new UnetError('INVALID_ARGUMENT', `bins must be an integer >= 2, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) throw new UnetError('INVALID_ARGUMENT', 'an Otsu threshold needs at least one finite value');
  if (min === max) return min;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = min + ((max - min) * b) / bins;
  edges[bins] = max;
  const counts = new Float64Array(bins);
  const scale = bins / (max - min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    // numpy.histogram's binning: scaled index, then corrected against the edges themselves.
    let b = Math.min(bins - 1, Math.floor((v - min) * scale));
    if (v < edges[b]) b--;
    else if (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  const centres = new Float64Array(bins);
  for (let b = 0; b < bins; b++) centres[b] = (edges[b] + edges[b + 1]) / 2;
  let total = 0;
  let totalMass = 0;
  for (let b = 0; b < bins; b++) {
    total += counts[b];
    totalMass += counts[b] * centres[b];
  }
  // Threshold after bin b: class 1 = bins 0..b, class 2 = bins b+1..end.
  let best = -1;
  let bestBin = 0;
  let w1 = 0;
  let m1 = 0;
  for (let b = 0; b < bins - 1; b++) {
    w1 += counts[b];
    m1 += counts[b] * centres[b];
    const w2 = total - w1;
    if (w1 === 0 || w2 === 0) continue;
    const diff = m1 / w1 - (totalMass - m1) / w2;
    const variance = w1 * w2 * diff * diff;
    if (variance > best) {
      best = variance;
      bestBin = b;
    }
  }
  return centres[bestBin];
}

export interface OtsuSplit {
  /** The threshold on the smoothed image. */
  threshold: number;
  /** 1 where the smoothed image is above the threshold. */
  above: Uint8Array;
  aboveCount: number;
}

/** Smooths the image (Gaussian, `sigma`) and splits it at Otsu's threshold. */
export function otsuSplit(image: ArrayLike<number>, width: number, height: number, sigma = OTSU_SIGMA): OtsuSplit {
  const smooth = gaussianBlur(image, width, height, sigma);
  const threshold = otsuThreshold(smooth);
  const above = new Uint8Array(smooth.length);
  let aboveCount = 0;
  for (let p = 0; p < smooth.length; p++) {
    if (smooth[p] > threshold) {
      above[p] = 1;
      aboveCount++;
    }
  }
  return { threshold, above, aboveCount };
}

/** The minority rule: foreground is the side of the threshold that holds fewer pixels (ties: bright). */
export function minorityPolarity(split: Pick<OtsuSplit, 'aboveCount' | 'above'>): Polarity {
  return split.aboveCount <= split.above.length - split.aboveCount ? 'bright' : 'dark';
}

/** Polarity evidence from one annotated image: its split and its class map (0 unlabelled, 1 background, 2.. foreground). */
export interface AnnotatedSplit {
  above: Uint8Array;
  classMap: Uint8Array;
}

/**
 * The polarity that fits annotations: the one whose foreground has the larger IoU with the annotated
 * foreground, pooled over the images and counted on labelled pixels only. Null when nothing is labelled.
 */
export function polarityFromAnnotations(images: readonly AnnotatedSplit[]): Polarity | null {
  let brightHit = 0;
  let brightUnion = 0;
  let darkHit = 0;
  let darkUnion = 0;
  let labelled = 0;
  for (const { above, classMap } of images) {
    assertLength(classMap, above.length, 'classMap');
    for (let p = 0; p < above.length; p++) {
      const c = classMap[p];
      if (c === 0) continue;
      labelled++;
      const truth = c >= 2;
      const bright = above[p] === 1;
      if (truth && bright) brightHit++;
      if (truth || bright) brightUnion++;
      if (truth && !bright) darkHit++;
      if (truth || !bright) darkUnion++;
    }
  }
  if (labelled === 0) return null;
  const iou = (hit: number, union: number) => (union === 0 ? 0 : hit / union);
  return iou(darkHit, darkUnion) > iou(brightHit, brightUnion) ? 'dark' : 'bright';
}

export interface OtsuSegmentation {
  threshold: number;
  polarity: Polarity;
  /** 1 = background, 2 = foreground, as a model's class map. */
  classMap: Uint8Array;
  /** 4-connected components of the foreground. */
  instances: Int32Array;
  count: number;
}

/**
 * The whole baseline for one image. Without a polarity, the minority rule decides (say which in reports:
 * `polarity` in the result is the one used).
 */
export function otsuSegmentation(image: ArrayLike<number>, width: number, height: number, options: { polarity?: Polarity; sigma?: number } = {}): OtsuSegmentation {
  assertImageSize(width, height);
  assertLength(image, width * height, 'image');
  const split = otsuSplit(image, width, height, options.sigma ?? OTSU_SIGMA);
  return segmentationFromSplit(split, width, height, options.polarity ?? minorityPolarity(split));
}

export function segmentationFromSplit(split: OtsuSplit, width: number, height: number, polarity: Polarity): OtsuSegmentation {
  const fgValue = polarity === 'bright' ? 1 : 0;
  const mask = new Uint8Array(split.above.length);
  const classMap = new Uint8Array(split.above.length);
  for (let p = 0; p < mask.length; p++) {
    const fg = split.above[p] === fgValue;
    mask[p] = fg ? 1 : 0;
    classMap[p] = fg ? 2 : 1;
  }
  const components = connectedComponents(mask, width, height, 4);
  return { threshold: split.threshold, polarity, classMap, instances: components.labels, count: components.count };
}
