import type { TileSampling } from '../../src-shared/contract/training';
import type { Rng } from '../../src-shared/imaging/rng';

/**
 * Where training tiles are centred:
 * - labelled: any labelled pixel, uniformly;
 * - weighted: half of the tiles as above, half on a pixel drawn in proportion to its loss weight, so the
 *   thin gaps between touching objects and the rarer class (which the weight map weighs up) are seen
 *   more often than plain background.
 */
export const DEFAULT_TILE_SAMPLING: TileSampling = 'labelled';

export interface CentreSource {
  width: number;
  height: number;
  classMap: Uint8Array;
  weights: Float32Array;
  /** Number of labelled (class > 0) pixels. */
  labelled: number;
  /** Largest weight of the image (for rejection sampling; computed once per image, not per draw). */
  maxWeight: number;
}

export function pickTileCentre(sample: CentreSource, rng: Rng, sampling: TileSampling): [number, number] {
  if (sampling === 'weighted' && rng.next() < 0.5) {
    const weighted = pickWeightedPixel(sample, rng);
    if (weighted) return weighted;
  }
  return pickLabelledPixel(sample, rng);
}

export function pickLabelledPixel(sample: CentreSource, rng: Rng): [number, number] {
  const n = sample.width * sample.height;
  // Rejection sampling is cheap when much is painted; fall back to a scan for sparse annotation.
  for (let attempt = 0; attempt < 64; attempt++) {
    const i = rng.int(n);
    if (sample.classMap[i] !== 0) return [i % sample.width, Math.floor(i / sample.width)];
  }
  let k = rng.int(sample.labelled);
  for (let i = 0; i < n; i++) {
    if (sample.classMap[i] !== 0 && k-- === 0) return [i % sample.width, Math.floor(i / sample.width)];
  }
  return [0, 0];
}

/** A pixel drawn with probability proportional to its weight (rejection sampling); undefined when unlucky. */
function pickWeightedPixel(sample: CentreSource, rng: Rng): [number, number] | undefined {
  const n = sample.width * sample.height;
  const max = sample.maxWeight;
  if (!(max > 0)) return undefined;
  for (let attempt = 0; attempt < 256; attempt++) {
    const i = rng.int(n);
    if (sample.weights[i] > 0 && rng.next() * max < sample.weights[i]) return [i % sample.width, Math.floor(i / sample.width)];
  }
  return undefined;
}

export function maxOf(values: Float32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}
