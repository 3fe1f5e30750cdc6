import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-shared/imaging/rng';
import { legalInputSizes } from '../../../../src-shared/imaging/tile-geometry';
import { createOrtRunner } from '../../../../src-main/engine/inference/ort-runner';
import { createTfjsRunner } from '../../../../src-main/engine/inference/tfjs-runner';
import type { StoredWeight } from '../../../../src-main/engine/onnx/model-weights';
import { encodeOnnxModel } from '../../../../src-main/engine/onnx/onnx-writer';
import { buildUnetOnnxModel } from '../../../../src-main/engine/onnx/unet-onnx-graph';
import { unetLayers, type UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { buildUNet } from '../../../../src-main/engine/unet-model';
import { blobImage, maxAbsDiff } from '../inference/tiny-unet';

/** Gives every bias a random value (the builder starts them at zero) and returns all weights by name. */
function randomiseBiases(model: tfl.LayersModel, arch: UNetArchitecture, seed: number): Map<string, StoredWeight> {
  const rng = createRng(seed);
  const weights = new Map<string, StoredWeight>();
  for (const info of unetLayers(arch)) {
    const layer = model.getLayer(info.name);
    const [kernel, bias] = layer.getWeights();
    const values = Float32Array.from({ length: bias.size }, () => rng.uniform(-0.2, 0.2));
    const newBias = tf.tensor1d(values);
    layer.setWeights([kernel, newBias]);
    newBias.dispose();
    weights.set(`${info.name}/kernel`, { shape: kernel.shape.slice(), data: kernel.dataSync() as Float32Array });
    weights.set(`${info.name}/bias`, { shape: [bias.size], data: values });
  }
  return weights;
}

const cases: Array<{ name: string; arch: UNetArchitecture; tiles: [number, number] }> = [
  { name: 'tiny', arch: { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 }, tiles: [legalInputSizes(2, 60, 70)[0], legalInputSizes(2, 100, 110)[0]] },
  { name: 'small', arch: { depth: 3, baseChannels: 8, inChannels: 2, numClasses: 4, dropout: 0.5 }, tiles: [legalInputSizes(3, 100, 120)[0], legalInputSizes(3, 110, 120)[0]] },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(cases)('ONNX export of the $name U-Net', ({ arch, tiles }) => {
  let model: tfl.LayersModel;
  let weights: Map<string, StoredWeight>;
  beforeAll(() => {
    model = buildUNet(arch, { seed: 7, inputSize: tiles[0] });
    weights = randomiseBiases(model, arch, 8);
  });
  afterAll(() => model.dispose());

  it.each(tiles)('matches the tfjs forward pass on a %i-pixel tile (random and blob inputs)', async (size) => {
    const ort = await createOrtRunner(encodeOnnxModel(buildUnetOnnxModel(arch, weights)), arch, { provider: 'cpu' });
    const ref = createTfjsRunner(model, arch);
    try {
      const rng = createRng(size);
      const noise = Float32Array.from({ length: size * size * arch.inChannels }, () => rng.normal());
      const blobs = blobImage(size, size, arch.inChannels, size + 1);
      for (const input of [noise, blobs]) {
        const a = await ort.runTile(input, size);
        const b = await ref.runTile(input, size);
        expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
        // Not a trivially uniform output: the classes really compete.
        expect(Math.max(...a) - Math.min(...a)).toBeGreaterThan(0.05);
      }
    } finally {
      await ort.dispose();
      await ref.dispose();
    }
  });
});

describe('tfjs runner', () => {
  it('does not leak tensors', async () => {
    const arch = cases[0].arch;
    const size = cases[0].tiles[0];
    const model = buildUNet(arch, { seed: 1, inputSize: size });
    const runner = createTfjsRunner(model, arch, { ownsModel: true });
    const input = new Float32Array(size * size);
    await runner.runTile(input, size);
    const before = tf.memory().numTensors;
    await runner.runTile(input, size);
    expect(tf.memory().numTensors).toBe(before);
    await runner.dispose();
    await expect(runner.runTile(input, size)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
