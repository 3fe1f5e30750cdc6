import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { skipCrop, unetLayerNames, unetLayers, type UNetArchitecture } from '../../../src-main/engine/unet-architecture';
import { buildUNet, parameterCount } from '../../../src-main/engine/unet-model';

const PAPER: UNetArchitecture = { depth: 4, baseChannels: 64, inChannels: 1, numClasses: 2, dropout: 0.5 };
const TINY: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 };

describe('U-Net architecture', () => {
  it('names the layers as the exporter expects, in forward order', () => {
    expect(unetLayerNames(TINY)).toEqual([
      'enc1_conv1', 'enc1_conv2', 'enc2_conv1', 'enc2_conv2', 'bottom_conv1', 'bottom_conv2',
      'dec2_up', 'dec2_conv1', 'dec2_conv2', 'dec1_up', 'dec1_conv1', 'dec1_conv2', 'output',
    ]);
  });

  it('has the 31,030,658 parameters of the paper network (two classes)', () => {
    expect(parameterCount(PAPER)).toBe(31_030_658);
  });

  it('crops the skip connections by 4, 16, 40 and 88 pixels at depth 4 (572 -> 388)', () => {
    expect([4, 3, 2, 1].map((l) => skipCrop(4, l))).toEqual([4, 16, 40, 88]);
  });
});

describe('buildUNet', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('builds weights named NAME/kernel and NAME/bias with the documented layouts', () => {
    const model = buildUNet(TINY, { seed: 1, inputSize: 92 });
    const shapes = Object.fromEntries(model.weights.map((w) => [w.originalName, w.shape]));
    for (const layer of unetLayers(TINY)) {
      const k = layer.kind === 'conv3x3' ? 3 : layer.kind === 'upconv2x2' ? 2 : 1;
      const kernel = layer.kind === 'upconv2x2' ? [k, k, layer.outChannels, layer.inChannels] : [k, k, layer.inChannels, layer.outChannels];
      expect(shapes[`${layer.name}/kernel`]).toEqual(kernel);
      expect(shapes[`${layer.name}/bias`]).toEqual([layer.outChannels]);
    }
    expect(model.countParams()).toBe(parameterCount(TINY));
    model.dispose();
  });

  it('maps a legal tile to the valid-convolution output size', () => {
    const model = buildUNet(TINY, { seed: 1, inputSize: 92 });
    const y = tf.tidy(() => model.predict(tf.zeros([1, 92, 92, 1])) as tf.Tensor);
    expect(y.shape).toEqual([1, 52, 52, 3]);
    y.dispose();
    model.dispose();
  });

  it('initialises He-normal from the seed: same seed, same weights; std close to sqrt(2 / fan-in)', async () => {
    const arch = { ...TINY, baseChannels: 16 };
    const a = buildUNet(arch, { seed: 7, inputSize: 92 });
    const b = buildUNet(arch, { seed: 7, inputSize: 92 });
    const c = buildUNet(arch, { seed: 8, inputSize: 92 });
    const kernel = (m: typeof a) => m.getLayer('enc2_conv2').getWeights()[0].dataSync() as Float32Array;
    expect(Array.from(kernel(a))).toEqual(Array.from(kernel(b)));
    expect(Array.from(kernel(a))).not.toEqual(Array.from(kernel(c)));
    const values = kernel(a);
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (9 * 32)), 2);
    expect(Array.from(a.getLayer('enc2_conv2').getWeights()[1].dataSync())).toEqual(new Array(32).fill(0));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects an illegal tile with the nearest legal size', () => {
    expect(() => buildUNet(TINY, { seed: 1, inputSize: 90 })).toThrow(/nearest legal: 88/);
  });
});
