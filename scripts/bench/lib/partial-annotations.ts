import path from 'node:path';
import { UnetError } from '../../../src-shared/contract/errors';
import { BACKGROUND_CLASS, UNLABELED_CLASS } from '../../../src-shared/contract/records';
import { euclideanDistanceTransform } from '../../../src-shared/imaging/distance-transform';

/**
 * Whether a data set's masks annotate only some cells, judged by its folder's name: the Cell Tracking
 * Challenge sets (HeLa, U373). Never by a run's label, which must not change how a run trains.
 */
export function partialByDefault(dataDir: string): boolean {
  return /hela|u373/i.test(path.basename(path.resolve(dataDir)));
}

export interface PartialOptions {
  /** Background farther than this from every annotated object may be an unannotated cell (px). */
  distance?: number;
  /** Half-width of the window that measures texture (local standard deviation). */
  radius?: number;
  /** A pixel is flat medium when its local std is below this multiple of the image's 10th percentile. */
  flatFactor?: number;
}

/**
 * Partial ground truth (Cell Tracking Challenge masks annotate only some cells): background pixels
 * that are textured and more than `distance` px from every annotated object are probably unannotated
 * cells, so they become unlabelled (class 0, weight 0 in the loss and ignored by pixel metrics), while
 * flat medium stays background. Returns the new class map and how many pixels were set aside.
 */
export function ignoreUnannotatedCells(
  image: ArrayLike<number>,
  classMap: Uint8Array,
  width: number,
  height: number,
  options: PartialOptions = {},
): { classMap: Uint8Array; ignored: number } {
  const n = width * height;
  if (image.length !== n || classMap.length !== n) throw new UnetError('INVALID_ARGUMENT', `image and class map must both have ${n} pixels`);
  const distance = options.distance ?? 12;
  const radius = options.radius ?? 3;
  const flatFactor = options.flatFactor ?? 2;
  // Distance to the nearest annotated object: non-object pixels are the "non-zero" ones.
  const notObject = new Uint8Array(n);
  for (let i = 0; i < n; i++) notObject[i] = classMap[i] >= 2 ? 0 : 1;
  const far = euclideanDistanceTransform(notObject, width, height);
  const std = localStd(image, width, height, radius);
  const sorted = Float32Array.from(std).sort();
  const flat = flatFactor * sorted[Math.floor(0.1 * (n - 1))];
  const out = Uint8Array.from(classMap);
  let ignored = 0;
  for (let i = 0; i < n; i++) {
    if (out[i] === BACKGROUND_CLASS && far[i] > distance && std[i] > flat) {
      out[i] = UNLABELED_CLASS;
      ignored++;
    }
  }
  return { classMap: out, ignored };
}

/** Standard deviation in the (2r+1)^2 window around each pixel (clipped at the border), via summed-area tables. */
function localStd(image: ArrayLike<number>, width: number, height: number, r: number): Float32Array {
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      rowSum += v;
      rowSq += v * v;
      sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + rowSum;
      sq[(y + 1) * w1 + x + 1] = sq[y * w1 + x + 1] + rowSq;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const count = (y1 - y0) * (x1 - x0);
      const s = sum[y1 * w1 + x1] - sum[y0 * w1 + x1] - sum[y1 * w1 + x0] + sum[y0 * w1 + x0];
      const q = sq[y1 * w1 + x1] - sq[y0 * w1 + x1] - sq[y1 * w1 + x0] + sq[y0 * w1 + x0];
      const mean = s / count;
      out[y * width + x] = Math.sqrt(Math.max(0, q / count - mean * mean));
    }
  }
  return out;
}
