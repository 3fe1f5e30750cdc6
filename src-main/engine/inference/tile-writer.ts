import type { Tile } from '../../../src-shared/imaging/tile-geometry';

/** The top-left outW x outH of each class plane (the last row/column of tiles is clipped to the image). */
export function cropTile(probs: Float32Array, K: number, outSize: number, tile: Tile, scratch: Float32Array): Float32Array {
  const { outW, outH } = tile;
  if (outW === outSize && outH === outSize) return probs;
  const view = scratch.subarray(0, K * outW * outH);
  for (let k = 0; k < K; k++) {
    for (let y = 0; y < outH; y++) {
      const src = (k * outSize + y) * outSize;
      view.set(probs.subarray(src, src + outW), (k * outH + y) * outW);
    }
  }
  return view;
}

export interface TileTargets {
  classMap?: Uint8Array;
  foreground?: Float32Array;
  probabilities?: Float32Array;
  /** The classes summed into `foreground` (a border class is not one of them). */
  isForeground: Uint8Array;
  /** A class of object borders: where it wins, the class map takes the likeliest foreground class instead. */
  borderClass?: number;
}

/**
 * Writes one output tile's argmax, foreground sum and probabilities into the whole-image outputs that
 * exist. Class 0 ("unlabeled") is never a training target, so the argmax runs over classes 1.. . A
 * border belongs to its object, so the class map never holds the border class.
 */
export function writeTile(view: Float32Array, tile: Tile, width: number, K: number, t: TileTargets): void {
  const { outX, outY, outW, outH } = tile;
  const plane = outW * outH;
  const imagePlane = t.probabilities ? t.probabilities.length / K : 0;
  for (let y = 0; y < outH; y++) {
    const row = (outY + y) * width + outX;
    for (let x = 0; x < outW; x++) {
      const p = y * outW + x;
      const first = K > 1 ? 1 : 0;
      let best = first;
      let bestP = view[first * plane + p];
      let fg = 0;
      let bestForeground = -1;
      let bestForegroundP = -1;
      for (let k = 0; k < K; k++) {
        const v = view[k * plane + p];
        if (k > first && v > bestP) {
          bestP = v;
          best = k;
        }
        if (t.isForeground[k]) {
          fg += v;
          if (v > bestForegroundP) {
            bestForegroundP = v;
            bestForeground = k;
          }
        }
      }
      if (best === t.borderClass && bestForeground >= 0) best = bestForeground;
      if (t.classMap) t.classMap[row + x] = best;
      if (t.foreground) t.foreground[row + x] = fg;
    }
    if (t.probabilities) {
      for (let k = 0; k < K; k++) t.probabilities.set(view.subarray(k * plane + y * outW, k * plane + (y + 1) * outW), k * imagePlane + row);
    }
  }
}
