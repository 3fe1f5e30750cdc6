import { UnetError } from '../contract/errors';
import { compactLabels } from './label-index';
import { assertImageSize, assertLength } from './validate';

/**
 * The loss weight map of the paper: w(x) = w_c(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2)).
 *
 * classMap: 0 = unlabeled (weight 0, no border term), 1 = background, 2.. = classes.
 * instanceMap: 0 = none, 1.. = object id (any values; they need not be consecutive).
 * d1, d2: Euclidean distances (between pixel centres, so a pixel next to an object is at 1) to the nearest
 * pixel of the nearest and of the second-nearest object. The border term is added on background pixels only.
 */
export interface WeightMapOptions {
  /** Border weight (paper: 10). */
  w0?: number;
  /** Border width in pixels (paper: 5). */
  sigma?: number;
  /**
   * 'balanced' (default): w_c(c) = N / (K * N_c) over labelled pixels, N = labelled pixels, N_c = pixels of class
   * c, K = number of classes present; the mean class weight over labelled pixels is then exactly 1.
   * number[]: fixed weights indexed by class id (entry 0 is ignored: unlabeled pixels always weigh 0).
   */
  classWeights?: 'balanced' | number[];
}

export const DEFAULT_W0 = 10;
export const DEFAULT_SIGMA = 5;

/**
 * The border term is computed exactly wherever it is at least this fraction of w0; below it is set to 0.
 * This bounds d1 + d2 and lets each object's distance transform be restricted to its bounding box grown by
 * sigma * sqrt(2 ln(1e6)) ~ 5.3 sigma, which is what makes 100 objects cheap.
 */
export const BORDER_TERM_RELATIVE_CUTOFF = 1e-6;

export function borderCutoffDistance(sigma: number): number {
  return sigma * Math.sqrt(2 * Math.log(1 / BORDER_TERM_RELATIVE_CUTOFF));
}

/**
 * The balanced class weights from pixel counts per class id: w_c = N / (K N_c) over the labelled
 * classes present (index 0 = unlabeled = 0). The annotation view keeps the counts up to date edit by
 * edit and calls this directly.
 */
export function balancedClassWeights(counts: Float64Array): Float64Array {
  let labelled = 0;
  let present = 0;
  for (let c = 1; c < 256; c++) {
    labelled += counts[c];
    if (counts[c] > 0) present++;
  }
  const weights = new Float64Array(256);
  for (let c = 1; c < 256; c++) if (counts[c] > 0) weights[c] = labelled / (present * counts[c]);
  return weights;
}

/** Class weight per class id (index 0 = unlabeled = 0). */
export function classWeightsFor(classMap: Uint8Array, classWeights: 'balanced' | number[] = 'balanced'): Float64Array {
  const counts = new Float64Array(256);
  for (let i = 0; i < classMap.length; i++) counts[classMap[i]]++;
  if (classWeights === 'balanced') return balancedClassWeights(counts);
  let maxClass = 0;
  for (let c = 1; c < 256; c++) if (counts[c] > 0) maxClass = c;
  const weights = new Float64Array(256);
  if (!Array.isArray(classWeights)) {
    throw new UnetError('INVALID_ARGUMENT', "classWeights must be 'balanced' or an array of numbers");
  }
  if (classWeights.length <= maxClass) {
    throw new UnetError('INVALID_ARGUMENT', `classWeights has no entry for class ${maxClass}`, {
      length: classWeights.length,
      maxClass,
    });
  }
  for (let c = 1; c < classWeights.length && c < 256; c++) {
    const w = classWeights[c];
    if (!Number.isFinite(w) || w < 0) {
      throw new UnetError('INVALID_ARGUMENT', `class weight ${c} must be a finite number >= 0, got ${w}`);
    }
    weights[c] = w;
  }
  return weights;
}

/**
 * Squared distances to the nearest and second-nearest object at every pixel where `include` is non-zero
 * (Infinity where the object is farther than `maxDistance`). Each object's exact EDT is computed only inside its
 * bounding box grown by maxDistance: outside that box its distance is certainly larger.
 */
export function nearestTwoObjectDistances(
  instanceMap: ArrayLike<number>,
  width: number,
  height: number,
  maxDistance: number,
  include?: Uint8Array,
): { d1Sq: Float32Array; d2Sq: Float32Array } {
  const n = width * height;
  const d1Sq = new Float32Array(n).fill(Infinity);
  const d2Sq = new Float32Array(n).fill(Infinity);
  const { index, count } = compactLabels(instanceMap);
  if (count === 0) return { d1Sq, d2Sq };

  // Bounding boxes and pixel lists per object (counting sort into one buffer).
  const minX = new Int32Array(count + 1).fill(width);
  const minY = new Int32Array(count + 1).fill(height);
  const maxX = new Int32Array(count + 1).fill(-1);
  const maxY = new Int32Array(count + 1).fill(-1);
  const start = new Int32Array(count + 2);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const k = index[i];
      if (k === 0) continue;
      start[k + 1]++;
      if (x < minX[k]) minX[k] = x;
      if (x > maxX[k]) maxX[k] = x;
      if (y < minY[k]) minY[k] = y;
      if (y > maxY[k]) maxY[k] = y;
    }
  }
  for (let k = 1; k <= count + 1; k++) start[k] += start[k - 1];
  const pixels = new Int32Array(start[count + 1]);
  const fill = start.slice(0, count + 1);
  for (let i = 0; i < n; i++) {
    const k = index[i];
    if (k !== 0) pixels[fill[k]++] = i;
  }

  // Per object: vertical distances in the columns of its bounding box (the only columns holding its pixels),
  // then per row the lower envelope of the parabolas (x - p)^2 + g(p)^2 (Felzenszwalb & Huttenlocher), evaluated
  // over the box grown by maxDistance. Parabolas with g > maxDistance cannot reach maxDistance and are skipped.
  const margin = Math.ceil(maxDistance);
  const maxSq = maxDistance * maxDistance;
  const INF = 1e9;
  const envV = new Int32Array(width + 1);
  const envF = new Float64Array(width + 1);
  const envZ = new Float64Array(width + 2);
  let colDist = new Float32Array(0);
  for (let k = 1; k <= count; k++) {
    const bx0 = minX[k];
    const bw = maxX[k] - bx0 + 1;
    const x0 = Math.max(0, bx0 - margin);
    const x1 = Math.min(width - 1, maxX[k] + margin);
    const y0 = Math.max(0, minY[k] - margin);
    const y1 = Math.min(height - 1, maxY[k] + margin);
    const rh = y1 - y0 + 1;
    const size = bw * rh;
    if (colDist.length < size) colDist = new Float32Array(Math.max(size, colDist.length * 2));
    const g = colDist;
    g.fill(INF, 0, size);
    for (let p = start[k]; p < start[k + 1]; p++) {
      const i = pixels[p];
      const y = (i / width) | 0;
      g[(y - y0) * bw + (i - y * width - bx0)] = 0;
    }
    for (let cx = 0; cx < bw; cx++) {
      let run = INF;
      for (let r = cx, ry = 0; ry < rh; ry++, r += bw) {
        run = g[r] === 0 ? 0 : run + 1;
        g[r] = run;
      }
      run = INF;
      for (let r = cx + (rh - 1) * bw, ry = rh - 1; ry >= 0; ry--, r -= bw) {
        const v = g[r];
        run = v < run + 1 ? v : run + 1;
        g[r] = run;
      }
    }
    for (let ry = 0; ry < rh; ry++) {
      // Build the lower envelope from the reachable parabolas of this row.
      let top = -1;
      const rowBase = ry * bw;
      for (let cx = 0; cx < bw; cx++) {
        const gv = g[rowBase + cx];
        if (gv > maxDistance) continue;
        const q = bx0 + cx;
        const fq = gv * gv;
        if (top < 0) {
          top = 0;
          envV[0] = q;
          envF[0] = fq;
          envZ[0] = -Infinity;
          envZ[1] = Infinity;
          continue;
        }
        let s = (fq + q * q - (envF[top] + envV[top] * envV[top])) / (2 * (q - envV[top]));
        while (s <= envZ[top]) {
          top--;
          s = (fq + q * q - (envF[top] + envV[top] * envV[top])) / (2 * (q - envV[top]));
        }
        top++;
        envV[top] = q;
        envF[top] = fq;
        envZ[top] = s;
        envZ[top + 1] = Infinity;
      }
      if (top < 0) continue;
      let e = 0;
      let i = (y0 + ry) * width + x0;
      for (let x = x0; x <= x1; x++, i++) {
        while (envZ[e + 1] < x) e++;
        const dx = x - envV[e];
        const d = dx * dx + envF[e];
        if (d > maxSq || (include !== undefined && include[i] === 0)) continue;
        if (d < d1Sq[i]) {
          d2Sq[i] = d1Sq[i];
          d1Sq[i] = d;
        } else if (d < d2Sq[i]) {
          d2Sq[i] = d;
        }
      }
    }
  }
  return { d1Sq, d2Sq };
}

function checkInputs(classMap: Uint8Array, instanceMap: ArrayLike<number>, width: number, height: number): void {
  assertImageSize(width, height);
  if (!(classMap instanceof Uint8Array)) throw new UnetError('INVALID_ARGUMENT', 'classMap must be a Uint8Array');
  assertLength(classMap, width * height, 'classMap');
  assertLength(instanceMap, width * height, 'instanceMap');
}

/**
 * The border term alone, w0 * exp(-(d1 + d2)^2 / (2 sigma^2)), on the background pixels (class 1) of classMap;
 * 0 elsewhere. Useful to show the user what the loss stresses.
 */
export function borderWeightTerm(
  classMap: Uint8Array,
  instanceMap: Uint16Array | Uint32Array | Int32Array,
  width: number,
  height: number,
  options: { w0?: number; sigma?: number } = {},
): Float32Array {
  checkInputs(classMap, instanceMap, width, height);
  const w0 = options.w0 ?? DEFAULT_W0;
  const sigma = options.sigma ?? DEFAULT_SIGMA;
  if (!(Number.isFinite(w0) && w0 >= 0)) throw new UnetError('INVALID_ARGUMENT', `w0 must be >= 0, got ${w0}`);
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new UnetError('INVALID_ARGUMENT', `sigma must be > 0, got ${sigma}`);
  const n = width * height;
  const term = new Float32Array(n);
  if (w0 === 0) return term;
  const include = new Uint8Array(n);
  let anyBackground = false;
  for (let i = 0; i < n; i++) {
    if (classMap[i] === 1) {
      include[i] = 1;
      anyBackground = true;
    }
  }
  if (!anyBackground) return term;
  const cutoff = borderCutoffDistance(sigma);
  const { d1Sq, d2Sq } = nearestTwoObjectDistances(instanceMap, width, height, cutoff, include);
  const inv2s2 = 1 / (2 * sigma * sigma);
  for (let i = 0; i < n; i++) {
    const b = d2Sq[i];
    if (b === Infinity) continue;
    const s = Math.sqrt(d1Sq[i]) + Math.sqrt(b);
    if (s <= cutoff) term[i] = w0 * Math.exp(-s * s * inv2s2);
  }
  return term;
}

/** The full weight map w(x) = w_c(x) + border term; unlabeled pixels (class 0) weigh 0. */
export function weightMap(
  classMap: Uint8Array,
  instanceMap: Uint16Array | Uint32Array | Int32Array,
  width: number,
  height: number,
  options: WeightMapOptions = {},
): Float32Array {
  checkInputs(classMap, instanceMap, width, height);
  const wc = classWeightsFor(classMap, options.classWeights ?? 'balanced');
  const out = borderWeightTerm(classMap, instanceMap, width, height, options);
  for (let i = 0; i < out.length; i++) out[i] += wc[classMap[i]];
  return out;
}
