import { assertImageSize, assertLength } from './validate';

/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, 1D lower envelope of parabolas,
 * applied to columns then rows). Distances are between pixel centres.
 */

/** Scratch buffers for the 1D passes, sized for lines up to `n` long; reuse them across calls. */
export interface EdtScratch {
  /** Positions, intersection abscissae and values of the parabolas of the lower envelope. */
  v: Int32Array;
  z: Float64Array;
  f: Float64Array;
}

export function createEdtScratch(n: number): EdtScratch {
  return { v: new Int32Array(n), z: new Float64Array(n + 1), f: new Float64Array(n) };
}

/**
 * In-place squared EDT of a binary grid: on input grid[i] = 0 at feature pixels and any value > 0 elsewhere;
 * on output the squared distance to the nearest feature (`inf` where there is none).
 */
export function squaredEdtBinaryInPlace(
  grid: Float64Array,
  width: number,
  height: number,
  scratch: EdtScratch,
  inf = 1e20,
): void {
  // Columns: for a binary input the 1D transform is a forward and a backward run-length scan.
  for (let x = 0; x < width; x++) {
    let run = inf;
    for (let y = 0, i = x; y < height; y++, i += width) {
      run = grid[i] === 0 ? 0 : run + 1;
      grid[i] = run;
    }
    run = inf;
    for (let y = height - 1, i = x + (height - 1) * width; y >= 0; y--, i -= width) {
      const g = grid[i];
      run = g < run + 1 ? g : run + 1;
      grid[i] = run >= inf ? inf : run * run;
    }
  }
  // Rows: lower envelope of the parabolas (x - p)^2 + g(p)^2. Columns without any feature (g = inf) add no
  // parabola, which saves work and keeps "infinite" values out of the intersection arithmetic.
  const v = scratch.v;
  const z = scratch.z;
  const fv = scratch.f;
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let k = -1;
    for (let q = 0; q < width; q++) {
      const fq = grid[base + q];
      if (fq >= inf) continue;
      if (k < 0) {
        k = 0;
        v[0] = q;
        fv[0] = fq;
        z[0] = -Infinity;
        z[1] = Infinity;
        continue;
      }
      let s = (fq + q * q - (fv[k] + v[k] * v[k])) / (2 * (q - v[k]));
      while (s <= z[k]) {
        k--;
        s = (fq + q * q - (fv[k] + v[k] * v[k])) / (2 * (q - v[k]));
      }
      k++;
      v[k] = q;
      fv[k] = fq;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    if (k < 0) continue;
    let e = 0;
    for (let q = 0; q < width; q++) {
      while (z[e + 1] < q) e++;
      const dq = q - v[e];
      grid[base + q] = dq * dq + fv[e];
    }
  }
}

/**
 * scipy.ndimage.distance_transform_edt convention: for every non-zero pixel of `mask`, the distance to the
 * nearest zero pixel; zero pixels get 0. With no zero pixel at all, every distance is Infinity.
 */
export function euclideanDistanceTransform(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  out?: Float32Array,
): Float32Array {
  assertImageSize(width, height);
  const n = width * height;
  assertLength(mask, n, 'mask');
  const result = out ?? new Float32Array(n);
  assertLength(result, n, 'out');
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = mask[i] === 0 ? 0 : 1;
  const inf = 1e20;
  squaredEdtBinaryInPlace(grid, width, height, createEdtScratch(Math.max(width, height)), inf);
  for (let i = 0; i < n; i++) result[i] = grid[i] >= inf ? Infinity : Math.sqrt(grid[i]);
  return result;
}
