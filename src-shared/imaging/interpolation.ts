import type { ImageWindow } from './types';

/**
 * Cubic convolution (Keys 1981, a = -0.5, the "bicubic" of most image software): interpolates exactly at the
 * samples and reproduces quadratics. Weights for the four samples at offsets -1, 0, 1, 2 of a fraction t in [0, 1).
 */
export function cubicWeights(t: number, out: Float64Array | Float32Array | number[]): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[0] = -0.5 * t3 + t2 - 0.5 * t;
  out[1] = 1.5 * t3 - 2.5 * t2 + 1;
  out[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  out[3] = 0.5 * t3 - 0.5 * t2;
}

/**
 * Dense weights (length x nodes, row-major) that interpolate `nodes` values, evenly spaced from the first to the
 * last sample, onto `length` samples with cubic convolution. Missing outer nodes are linearly extrapolated
 * (p[-1] = 2 p[0] - p[1]), so a linear ramp of node values stays exactly linear.
 */
export function cubicUpsamplingWeights(nodes: number, length: number): Float64Array {
  const weights = new Float64Array(length * nodes);
  if (nodes === 1) {
    weights.fill(1);
    return weights;
  }
  const w = new Float64Array(4);
  const scale = length > 1 ? (nodes - 1) / (length - 1) : 0;
  for (let x = 0; x < length; x++) {
    const u = x * scale;
    const i0 = Math.min(Math.floor(u), nodes - 2);
    cubicWeights(u - i0, w);
    const row = x * nodes;
    for (let k = 0; k < 4; k++) {
      const node = i0 - 1 + k;
      if (node < 0) {
        weights[row] += 2 * w[k];
        weights[row + 1] -= w[k];
      } else if (node >= nodes) {
        weights[row + nodes - 1] += 2 * w[k];
        weights[row + nodes - 2] -= w[k];
      } else {
        weights[row + node] += w[k];
      }
    }
  }
  return weights;
}

/**
 * Interpolates a gridH x gridW array of node values (row-major) onto a width x height image, separably:
 * first along x for each node row, then along y. With a window, only that part of the image is computed,
 * into an `out` of the window's size.
 */
export function upsampleGrid(
  grid: ArrayLike<number>,
  gridW: number,
  gridH: number,
  width: number,
  height: number,
  out: Float32Array,
  window: ImageWindow = { x: 0, y: 0, width, height },
): Float32Array {
  const { x: x0, y: y0, width: ww, height: wh } = window;
  const wx = cubicUpsamplingWeights(gridW, width);
  const wy = cubicUpsamplingWeights(gridH, height);
  const rows = new Float64Array(gridH * ww);
  for (let j = 0; j < gridH; j++) {
    for (let x = 0; x < ww; x++) {
      let s = 0;
      for (let i = 0; i < gridW; i++) s += wx[(x0 + x) * gridW + i] * grid[j * gridW + i];
      rows[j * ww + x] = s;
    }
  }
  const wyRow = new Float64Array(gridH);
  for (let y = 0; y < wh; y++) {
    const o = y * ww;
    for (let j = 0; j < gridH; j++) wyRow[j] = wy[(y0 + y) * gridH + j];
    if (gridH === 3) {
      // The paper's 3x3 grid: unrolled.
      const a = wyRow[0];
      const b = wyRow[1];
      const c = wyRow[2];
      for (let x = 0; x < ww; x++) out[o + x] = a * rows[x] + b * rows[ww + x] + c * rows[2 * ww + x];
      continue;
    }
    for (let x = 0; x < ww; x++) {
      let s = 0;
      for (let j = 0; j < gridH; j++) s += wyRow[j] * rows[j * ww + x];
      out[o + x] = s;
    }
  }
  return out;
}
