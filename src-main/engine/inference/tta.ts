import { dihedral, dihedralInverse } from '../../../src-shared/imaging/dihedral';
import { outputSizeFor } from '../../../src-shared/imaging/tile-geometry';
import type { TileRunner } from './tile-runner';

/**
 * One square tile through the network; with `tta`, the mean softmax over the 8 rotations/flips of the tile
 * (the paper's test-time averaging), each prediction mapped back before averaging. Tiles are square, so every
 * transform keeps the input size and the output geometry.
 */
export async function runTileWithTta(runner: TileRunner, input: Float32Array, size: number, tta: boolean): Promise<Float32Array> {
  if (!tta) return runner.runTile(input, size);
  const K = runner.numClasses;
  const out = outputSizeFor(size, runner.depth);
  const plane = out * out;
  const sum = new Float32Array(K * plane);
  const transformed = new Float32Array(input.length);
  const back = new Float32Array(plane);
  for (let k = 0; k < 8; k++) {
    const probs = await runner.runTile(k === 0 ? input : dihedral(input, size, size, runner.inChannels, k, transformed), size);
    for (let c = 0; c < K; c++) {
      const p = probs.subarray(c * plane, (c + 1) * plane);
      const q = k === 0 ? p : dihedralInverse(p, out, out, 1, k, back);
      const base = c * plane;
      for (let i = 0; i < plane; i++) sum[base + i] += q[i];
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] *= 0.125;
  return sum;
}
