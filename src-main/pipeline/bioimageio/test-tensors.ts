import { applyNormalization, computePercentileNormalization, type NormalizationParams } from '../../../src-shared/imaging/normalization';
import { createRng } from '../../../src-shared/imaging/rng';
import { mirrorIndex, outputSizeFor, smallestLegalInputSize } from '../../../src-shared/imaging/tile-geometry';
import type { TileRunner } from '../../engine/inference/tile-runner';

export interface TestTensors {
  /** Raw (not normalised) input tile, [1, C, size, size]. */
  input: Float32Array;
  inputShape: number[];
  /** Softmax output of the model for it, [1, K, out, out]. */
  output: Float32Array;
  outputShape: number[];
  size: number;
  outSize: number;
}

/**
 * A test tile for the package. From a sample image when there is one (its centre, mirrored where the image
 * is smaller), else soft synthetic blobs spanning the training intensity range, so a consumer can check
 * that preprocessing + model reproduce the stored output.
 */
export function testInputTile(size: number, normalization: NormalizationParams | null, sample?: { data: Float32Array; width: number; height: number }): Float32Array {
  const tile = new Float32Array(size * size);
  if (sample) {
    const x0 = Math.floor((sample.width - size) / 2);
    const y0 = Math.floor((sample.height - size) / 2);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) tile[y * size + x] = sample.data[mirrorIndex(y0 + y, sample.height) * sample.width + mirrorIndex(x0 + x, sample.width)];
    }
    return tile;
  }
  const rng = createRng(2015);
  const blobs = Array.from({ length: 8 }, () => ({ x: rng.uniform(0, size), y: rng.uniform(0, size), r: rng.uniform(size / 20, size / 8) }));
  const { low, high } = normalization ?? { low: 0, high: 255 };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 0;
      for (const b of blobs) v = Math.max(v, Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r)));
      tile[y * size + x] = Math.fround(low + (high - low) * Math.min(1, v + 0.05 * rng.normal()));
    }
  }
  return tile;
}

/** The test tile size: the training tile when known, else the smallest legal tile with a useful output. */
export function testTileSize(depth: number, trainingTile?: number): number {
  if (trainingTile) return trainingTile;
  let size = smallestLegalInputSize(depth);
  while (outputSizeFor(size, depth) < 32) size += 2 ** depth;
  return size;
}

/** Runs the single-channel test tile through the model: normalise (fixed, or by the tile's own percentiles), one forward pass. */
export async function computeTestTensors(runner: TileRunner, raw: Float32Array, size: number, normalization: NormalizationParams | null): Promise<TestTensors> {
  const normalised = applyNormalization(raw, normalization ?? computePercentileNormalization(raw, 1, 99.8));
  const output = Float32Array.from(await runner.runTile(normalised, size));
  const outSize = outputSizeFor(size, runner.depth);
  return {
    input: raw,
    inputShape: [1, runner.inChannels, size, size],
    output,
    outputShape: [1, runner.numClasses, outSize, outSize],
    size,
    outSize,
  };
}
