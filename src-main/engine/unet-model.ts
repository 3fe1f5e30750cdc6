import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../src-shared/contract/errors';
import { createRng, type Rng } from '../../src-shared/imaging/rng';
import { isLegalInputSize, nearestLegalInputSize } from '../../src-shared/imaging/tile-geometry';
import { channelsAtLevel, skipCrop, unetLayers, type UNetArchitecture } from './unet-architecture';

export const DROPOUT_LAYER_NAME = 'bottom_dropout';

export function validateArchitecture(arch: UNetArchitecture): void {
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!intIn(arch.depth, 1, 6)) throw new UnetError('INVALID_ARGUMENT', `depth must be an integer in 1..6, got ${arch.depth}`);
  if (!intIn(arch.baseChannels, 1, 256)) {
    throw new UnetError('INVALID_ARGUMENT', `baseChannels must be an integer in 1..256, got ${arch.baseChannels}`);
  }
  if (!intIn(arch.inChannels, 1, 16)) throw new UnetError('INVALID_ARGUMENT', `inChannels must be an integer in 1..16, got ${arch.inChannels}`);
  if (!intIn(arch.numClasses, 2, 255)) throw new UnetError('INVALID_ARGUMENT', `numClasses must be an integer in 2..255, got ${arch.numClasses}`);
  if (!(arch.dropout >= 0 && arch.dropout < 1)) throw new UnetError('INVALID_ARGUMENT', `dropout must be in [0, 1), got ${arch.dropout}`);
}

export interface BuildOptions {
  /** Seed of the He-normal initialisation. */
  seed: number;
  /** Square input tile the model is declared for (tfjs Cropping2D needs static sizes). */
  inputSize: number;
  /** false leaves the weights at zero (for a model whose weights are set right after). */
  initialize?: boolean;
}

/**
 * Builds the paper's U-Net as a tfjs layers model with input [batch, inputSize, inputSize, inChannels]
 * and logits [batch, out, out, numClasses]. The crops do not depend on the size, so `model.apply` also
 * runs on other legal sizes; `predict` checks the declared one. Weights are He-normal
 * (std sqrt(2 / fan-in)) from `seed`, biases zero, so a seed gives the same network on every backend.
 */
export function buildUNet(arch: UNetArchitecture, options: BuildOptions): tfl.LayersModel {
  validateArchitecture(arch);
  if (!isLegalInputSize(options.inputSize, arch.depth)) {
    throw new UnetError(
      'INVALID_ARGUMENT',
      `input size ${options.inputSize} is not legal for depth ${arch.depth} (nearest legal: ${nearestLegalInputSize(options.inputSize, arch.depth)})`,
      { inputSize: options.inputSize, depth: arch.depth },
    );
  }
  const input = tfl.input({ shape: [options.inputSize, options.inputSize, arch.inChannels], name: 'input' });
  const conv3 = (name: string, filters: number) =>
    tfl.layers.conv2d({ name, filters, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: 'zeros' });

  const skips: tfl.SymbolicTensor[] = [];
  let x: tfl.SymbolicTensor = input;
  for (let level = 1; level <= arch.depth; level++) {
    const c = channelsAtLevel(arch, level);
    x = conv3(`enc${level}_conv1`, c).apply(x) as tfl.SymbolicTensor;
    x = conv3(`enc${level}_conv2`, c).apply(x) as tfl.SymbolicTensor;
    skips[level] = x;
    x = tfl.layers.maxPooling2d({ name: `enc${level}_pool`, poolSize: 2, strides: 2, padding: 'valid' }).apply(x) as tfl.SymbolicTensor;
  }
  const bottom = channelsAtLevel(arch, arch.depth + 1);
  x = conv3('bottom_conv1', bottom).apply(x) as tfl.SymbolicTensor;
  x = conv3('bottom_conv2', bottom).apply(x) as tfl.SymbolicTensor;
  if (arch.dropout > 0) x = tfl.layers.dropout({ name: DROPOUT_LAYER_NAME, rate: arch.dropout }).apply(x) as tfl.SymbolicTensor;

  for (let level = arch.depth; level >= 1; level--) {
    const c = channelsAtLevel(arch, level);
    const up = tfl.layers
      .conv2dTranspose({ name: `dec${level}_up`, filters: c, kernelSize: 2, strides: 2, padding: 'valid', kernelInitializer: 'zeros' })
      .apply(x) as tfl.SymbolicTensor;
    const crop = skipCrop(arch.depth, level);
    const skip = tfl.layers.cropping2D({ name: `dec${level}_crop`, cropping: [[crop, crop], [crop, crop]] }).apply(skips[level]);
    x = tfl.layers.concatenate({ name: `dec${level}_concat`, axis: -1 }).apply([skip as tfl.SymbolicTensor, up]) as tfl.SymbolicTensor;
    x = conv3(`dec${level}_conv1`, c).apply(x) as tfl.SymbolicTensor;
    x = conv3(`dec${level}_conv2`, c).apply(x) as tfl.SymbolicTensor;
  }
  const output = tfl.layers
    .conv2d({ name: 'output', filters: arch.numClasses, kernelSize: 1, padding: 'valid', kernelInitializer: 'zeros' })
    .apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output, name: 'unet' });
  if (options.initialize !== false) initializeWeights(model, arch, createRng(options.seed));
  return model;
}

/**
 * He-normal initialisation drawn in JavaScript from a seeded generator. Fan-in is what one output
 * neuron sees: kh * kw * inChannels for convolutions; for the 2x2 stride-2 up-convolution every output
 * pixel is fed by exactly one tap per input channel, so fan-in = inChannels.
 */
function initializeWeights(model: tfl.LayersModel, arch: UNetArchitecture, rng: Rng): void {
  for (const info of unetLayers(arch)) {
    const layer = model.getLayer(info.name);
    const [kernel, bias] = layer.getWeights();
    const fanIn = info.kind === 'conv3x3' ? 9 * info.inChannels : info.inChannels;
    const std = Math.sqrt(2 / fanIn);
    const values = new Float32Array(kernel.size);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
    const newKernel = tf.tensor(values, kernel.shape, 'float32');
    const newBias = tf.zeros(bias.shape, 'float32');
    layer.setWeights([newKernel, newBias]);
    tf.dispose([newKernel, newBias]);
  }
}

/** Number of trainable parameters of an architecture, without building it. */
export function parameterCount(arch: UNetArchitecture): number {
  let n = 0;
  for (const l of unetLayers(arch)) {
    const taps = l.kind === 'conv3x3' ? 9 : l.kind === 'upconv2x2' ? 4 : 1;
    n += taps * l.inChannels * l.outChannels + l.outChannels;
  }
  return n;
}
