import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { weightedCrossEntropy } from '../../../../src-main/engine/loss';
import { prepareSample, TileSampler } from '../../../../src-main/engine/training-data';
import type { UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { buildUNet } from '../../../../src-main/engine/unet-model';
import { createRng } from '../../../../src-shared/imaging/rng';
import { outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';
import { blobSample } from '../trainer-data';

export interface GradientCase {
  arch: UNetArchitecture;
  tile: number;
  batch: number;
  seed: number;
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
