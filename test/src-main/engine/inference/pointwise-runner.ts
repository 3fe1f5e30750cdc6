import type { TileRunner } from '../../../../src-main/engine/inference/tile-runner';
import { haloFor, outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';

/**
 * A "network" of depth `depth` with classes unlabelled, background and cell, whose p(cell) is its input
 * pixel (clamped to [0, 1]): what it segments is where the image is. It counts the output pixels it makes.
 */
export function pointwiseRunner(depth: number): TileRunner & { pixels: number } {
  const halo = haloFor(depth);
  return {
    description: 'pointwise',
    depth,
    inChannels: 1,
    numClasses: 3,
    pixels: 0,
    async runTile(input, size) {
      const out = outputSizeFor(size, depth);
      this.pixels += out * out;
      const probs = new Float32Array(3 * out * out);
      for (let y = 0; y < out; y++) {
        for (let x = 0; x < out; x++) {
          const cell = Math.min(1, Math.max(0, input[(y + halo) * size + x + halo]));
          probs[out * out + y * out + x] = 1 - cell;
          probs[2 * out * out + y * out + x] = cell;
        }
      }
      return probs;
    },
    async dispose() {},
  };
}
