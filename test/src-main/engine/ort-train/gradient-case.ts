import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { weightedCrossEntropy } from '../../../../src-main/engine/loss';
import { prepareSample, TileSampler } from '../../../../src-main/engine/training-data';
import { unetLayers, type UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { buildUNet } from '../../../../src-main/engine/unet-model';
import { createRng } from '../../../../src-shared/imaging/rng';
import { outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';
import { blobSample } from '../trainer-data';

export interface GradientCase {
  arch: UNetArchitecture;
  tile: number;
  batch: number;
  seed: number;
  /** Batch normalisation before every 3x3 convolution's ReLU (training mode). */
  batchNorm?: boolean;
}

/** Real tiles: augmented crops of generated touching cells with the paper's weight map, NHWC. */
export function sampleBatch({ arch, tile, batch, seed }: GradientCase) {
  const out = outputSizeFor(tile, arch.depth);
  const K = arch.numClasses;
  const prepared = [blobSample(seed, 160), blobSample(seed + 1, 160)].map((s) => prepareSample(s, { w0: 10, sigma: 5, separationGap: 2 }));
  const sampler = new TileSampler(prepared, { input: tile, output: out }, K, { elastic: true, elasticSigma: 10, elasticGrid: 3, flipsRotations: true, rotation: true, intensity: true });
  const rng = createRng(seed);
  const input = new Float32Array(batch * tile * tile);
  const target = new Float32Array(batch * out * out * K);
  const weights = new Float32Array(batch * out * out);
  for (let i = 0; i < batch; i++) {
    const t = sampler.next(rng);
    // Flat image regions give max-pool windows with equal maxima, where any input is a valid argmax and
    // tfjs and ONNX Runtime may pick different ones: a little noise makes every maximum unique.
    for (let j = 0; j < t.input.length; j++) t.input[j] += 1e-3 * rng.normal();
    input.set(t.input, i * t.input.length);
    target.set(t.target, i * t.target.length);
    weights.set(t.weights, i * t.weights.length);
  }
  return { input, target, weights, out };
}

/** tfjs's loss, parameters and gradients (tfjs layout, in trainable-weight order) on the active backend. */
export function tfjsGradients(c: GradientCase): { loss: number; names: string[]; params: Float32Array[]; grads: Float32Array[] } {
  const { input, target, weights, out } = sampleBatch(c);
  const K = c.arch.numClasses;
  const model = buildUNet(c.arch, { seed: c.seed + 4, inputSize: c.tile });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => weightedCrossEntropy(model.apply(tf.tensor4d(input, [c.batch, c.tile, c.tile, 1])) as tf.Tensor4D, tf.tensor4d(target, [c.batch, out, out, K]), tf.tensor4d(weights, [c.batch, out, out, 1])),
    vars,
  );
  const result = {
    loss: value.dataSync()[0],
    names: vars.map((v) => v.name.replace(/_\d+\//, '/')),
    params: vars.map((v) => v.dataSync() as Float32Array),
    grads: vars.map((v) => grads[v.name].dataSync() as Float32Array),
  };
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

/**
 * tfjs's loss and gradients of the U-Net with batch normalisation (training mode: the batch's own
 * statistics) before each 3x3 convolution's ReLU, written out as a function of the parameters so that
 * tfjs's autodiff differentiates through the batch mean and variance. Convolution parameters are the
 * plain case's (same seed, tfjs layout, trainable-weight order); each scale and shift is drawn away
 * from 1 and 0, so every term of the gradient shows. Scales and shifts follow in `batchNormParameters`
 * order (per layer: scale, shift).
 */
export function tfjsBatchNormGradients(c: GradientCase, epsilon: number): { loss: number; names: string[]; params: Float32Array[]; grads: Float32Array[] } {
  const { input, target, weights, out } = sampleBatch(c);
  const { arch } = c;
  const K = arch.numClasses;
  const model = buildUNet(arch, { seed: c.seed + 4, inputSize: c.tile });
  const convNames = model.trainableWeights.map((w) => w.name.replace(/_\d+\//, '/'));
  const convVars = model.trainableWeights.map((w) => tf.variable((w.read() as tf.Tensor).clone()));
  model.dispose();
  const rng = createRng(c.seed + 11);
  const layers = unetLayers(arch).filter((l) => l.activation === 'relu');
  const bnNames: string[] = [];
  const bnVars: tf.Variable[] = [];
  for (const l of layers) {
    bnNames.push(`${l.name}.bn_scale`, `${l.name}.bn_shift`);
    bnVars.push(tf.variable(tf.tensor1d(Float32Array.from({ length: l.outChannels }, () => 1 + 0.2 * rng.normal()))));
    bnVars.push(tf.variable(tf.tensor1d(Float32Array.from({ length: l.outChannels }, () => 0.1 * rng.normal()))));
  }
  const kernel = (name: string) => convVars[convNames.indexOf(`${name}/kernel`)];
  const bias = (name: string) => convVars[convNames.indexOf(`${name}/bias`)];
  const bn = (name: string, i: 0 | 1) => bnVars[bnNames.indexOf(`${name}.bn_${i === 0 ? 'scale' : 'shift'}`)];
  const convBnRelu = (name: string, x: tf.Tensor4D): tf.Tensor4D => {
    const y = tf.add(tf.conv2d(x, kernel(name) as tf.Tensor4D, 1, 'valid'), bias(name)) as tf.Tensor4D;
    const { mean, variance } = tf.moments(y, [0, 1, 2], true);
    const normalised = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, epsilon)));
    return tf.relu(tf.add(tf.mul(normalised, bn(name, 0)), bn(name, 1))) as tf.Tensor4D;
  };
  const forward = (): tf.Tensor4D => {
    let x = tf.tensor4d(input, [c.batch, c.tile, c.tile, arch.inChannels]);
    const skips: tf.Tensor4D[] = [];
    for (let level = 1; level <= arch.depth; level++) {
      x = convBnRelu(`enc${level}_conv2`, convBnRelu(`enc${level}_conv1`, x));
      skips[level] = x;
      x = tf.maxPool(x, 2, 2, 'valid');
    }
    x = convBnRelu('bottom_conv2', convBnRelu('bottom_conv1', x));
    for (let level = arch.depth; level >= 1; level--) {
      const [n, h, w] = x.shape;
      const c2 = bias(`dec${level}_up`).shape[0];
      const up = tf.add(tf.conv2dTranspose(x, kernel(`dec${level}_up`) as tf.Tensor4D, [n, 2 * h, 2 * w, c2], 2, 'valid'), bias(`dec${level}_up`)) as tf.Tensor4D;
      const skip = skips[level];
      const o = (skip.shape[1] - 2 * h) / 2;
      const crop = tf.slice(skip, [0, o, o, 0], [n, 2 * h, 2 * w, skip.shape[3]]);
      x = convBnRelu(`dec${level}_conv2`, convBnRelu(`dec${level}_conv1`, tf.concat([crop, up], 3)));
    }
    return tf.add(tf.conv2d(x, kernel('output') as tf.Tensor4D, 1, 'valid'), bias('output')) as tf.Tensor4D;
  };
  const vars = [...convVars, ...bnVars];
  const { value, grads } = tf.variableGrads(
    () => weightedCrossEntropy(forward(), tf.tensor4d(target, [c.batch, out, out, K]), tf.tensor4d(weights, [c.batch, out, out, 1])),
    vars,
  );
  const result = {
    loss: value.dataSync()[0],
    names: [...convNames, ...bnNames],
    params: vars.map((v) => v.dataSync() as Float32Array),
    grads: vars.map((v) => grads[v.name].dataSync() as Float32Array),
  };
  tf.dispose([value, ...Object.values(grads), ...vars]);
  return result;
}
