import { channelsAtLevel, skipCrop, type UNetArchitecture } from '../unet-architecture';
import { int, ints, type GraphBuilder } from './graph-builder';

/** A 4-D shape [N, C, H, W]. */
export type Shape4 = [number, number, number, number];

/** What the backward pass needs of a batch normalisation in training mode (statistics of this batch). */
export interface BatchNormRecord {
  /** The normalised convolution output, (y - mean) / sqrt(var + eps), before scale and shift. */
  normalised: string;
  /** 1 / sqrt(var + eps), [1, C, 1, 1]. */
  invStd: string;
  /** The scale parameter as [1, C, 1, 1]. */
  scale4: string;
  /** This batch's mean and (biased) variance per channel, [C]. */
  mean: string;
  variance: string;
  /** Values each channel's statistics are taken over (N * H * W). */
  count: number;
}

/** What the backward pass needs of one convolution: its input and (with ReLU) its output. */
export interface ConvRecord {
  layer: string;
  input: string;
  inputShape: Shape4;
  output: string;
  outputShape: Shape4;
  kernel: number;
  relu: boolean;
  /** Batch normalisation between the convolution and its ReLU (training graphs with it on). */
  batchNorm: BatchNormRecord | null;
}

/** Added to the variance before its square root (PyTorch's default). */
export const BATCH_NORM_EPSILON = 1e-5;

/** Scale and shift parameters of a ReLU convolution's batch normalisation. */
export function batchNormScale(layer: string): string {
  return `${layer}.bn_scale`;
}
export function batchNormShift(layer: string): string {
  return `${layer}.bn_shift`;
}

export interface LevelRecord {
  level: number;
  channels: number;
  conv1: ConvRecord;
  conv2: ConvRecord;
  /** Max-pool output (encoder levels). */
  pooled: string;
  /** Flat NCHW index of each pooled maximum, when the graph needs gradients. */
  argmax: string | null;
  /** Pixels cropped from each side of the skip connection. */
  crop: number;
}

export interface DecoderRecord {
  level: number;
  channels: number;
  upInput: string;
  upInputShape: Shape4;
  upOutputShape: Shape4;
  conv1: ConvRecord;
  conv2: ConvRecord;
}

export interface ForwardRecord {
  encoder: LevelRecord[];
  bottom: { conv1: ConvRecord; conv2: ConvRecord };
  /** Dropout mask input (already scaled by 1 / keep), when dropout is on. */
  dropoutMask: string | null;
  decoder: DecoderRecord[];
  output: ConvRecord;
  logits: string;
  logitsShape: Shape4;
}

/**
 * The U-Net's forward pass (NCHW, static shapes) into `g`, reading parameters from graph values named
 * `param(name)`. The same layers as the inference graph: valid 3x3 convolutions + ReLU, 2x2 max-pool,
 * dropout at the bottom (a mask input times the activations), 2x2 stride-2 up-convolutions,
 * concatenation [cropped skip, up], 1x1 output convolution giving logits.
 *
 * With `batchNorm`, every 3x3 convolution's output is normalised with the batch's own statistics
 * (training mode) and scaled and shifted before its ReLU. Inference never runs this: the running
 * statistics are folded into the convolutions (see `batch-norm-folding.ts`), so saved models stay the
 * paper's network.
 */
export function buildForward(
  g: GraphBuilder,
  arch: UNetArchitecture,
  input: string,
  inputShape: Shape4,
  param: (name: string) => string,
  dropoutMask: string | null,
  withArgmax: boolean,
  batchNorm = false,
): ForwardRecord {
  const normalise = (layer: string, y: string, shape: Shape4): { value: string; record: BatchNormRecord } => {
    const [n, c, h, w] = shape;
    const count = n * h * w;
    const axes = g.int64([0, 2, 3]);
    const perValue = g.scalar(1 / count);
    const mean4 = g.op('Mul', `${layer}_bn_mean`, [g.op('ReduceSum', `${layer}_bn_sum`, [y, axes], { keepdims: int(1) }), perValue]);
    const centred = g.op('Sub', `${layer}_bn_centred`, [y, mean4]);
    const var4 = g.op('Mul', `${layer}_bn_var`, [g.op('ReduceSum', `${layer}_bn_sq_sum`, [g.op('Mul', `${layer}_bn_sq`, [centred, centred]), axes], { keepdims: int(1) }), perValue]);
    const invStd = g.op('Reciprocal', `${layer}_bn_inv_std`, [g.op('Sqrt', `${layer}_bn_std`, [g.op('Add', `${layer}_bn_var_eps`, [var4, g.scalar(BATCH_NORM_EPSILON)])])]);
    const normalised = g.op('Mul', `${layer}_bn_normalised`, [centred, invStd]);
    const channel4 = g.int64([1, c, 1, 1]);
    const scale4 = g.op('Reshape', `${layer}_bn_scale4`, [param(batchNormScale(layer)), channel4]);
    const shift4 = g.op('Reshape', `${layer}_bn_shift4`, [param(batchNormShift(layer)), channel4]);
    const value = g.op('Add', `${layer}_bn_out`, [g.op('Mul', `${layer}_bn_scaled`, [normalised, scale4]), shift4]);
    const flat = g.int64([c]);
    const mean = g.op('Reshape', `${layer}_bn_batch_mean`, [mean4, flat]);
    const variance = g.op('Reshape', `${layer}_bn_batch_var`, [var4, flat]);
    return { value, record: { normalised, invStd, scale4, mean, variance, count } };
  };

  const conv = (layer: string, x: string, shape: Shape4, outC: number, kernel: number, relu: boolean): ConvRecord => {
    const [n, , h, w] = shape;
    const outputShape: Shape4 = [n, outC, h - kernel + 1, w - kernel + 1];
    const y = g.op('Conv', layer, [x, param(`${layer}.weight`), param(`${layer}.bias`)], {
      kernel_shape: ints([kernel, kernel]),
      pads: ints([0, 0, 0, 0]),
      strides: ints([1, 1]),
    });
    const bn = batchNorm && relu ? normalise(layer, y, outputShape) : null;
    const pre = bn ? bn.value : y;
    const output = relu ? g.op('Relu', `${layer}_relu`, [pre]) : pre;
    return { layer, input: x, inputShape: shape, output, outputShape, kernel, relu, batchNorm: bn?.record ?? null };
  };

  const encoder: LevelRecord[] = [];
  let x = input;
  let shape = inputShape;
  for (let level = 1; level <= arch.depth; level++) {
    const c = channelsAtLevel(arch, level);
    const conv1 = conv(`enc${level}_conv1`, x, shape, c, 3, true);
    const conv2 = conv(`enc${level}_conv2`, conv1.output, conv1.outputShape, c, 3, true);
    const pool = { kernel_shape: ints([2, 2]), strides: ints([2, 2]) };
    const [pooled, argmax] = withArgmax
      ? g.opN('MaxPool', `enc${level}_pool`, [conv2.output], 2, pool)
      : [g.op('MaxPool', `enc${level}_pool`, [conv2.output], pool), null];
    const [n, , h, w] = conv2.outputShape;
    encoder.push({ level, channels: c, conv1, conv2, pooled, argmax, crop: skipCrop(arch.depth, level) });
    x = pooled;
    shape = [n, c, h / 2, w / 2];
  }
  const bottomC = channelsAtLevel(arch, arch.depth + 1);
  const b1 = conv('bottom_conv1', x, shape, bottomC, 3, true);
  const b2 = conv('bottom_conv2', b1.output, b1.outputShape, bottomC, 3, true);
  x = dropoutMask ? g.op('Mul', 'bottom_dropout', [b2.output, dropoutMask]) : b2.output;
  shape = b2.outputShape;

  const decoder: DecoderRecord[] = [];
  for (let level = arch.depth; level >= 1; level--) {
    const c = channelsAtLevel(arch, level);
    const name = `dec${level}_up`;
    const up = g.op('ConvTranspose', name, [x, param(`${name}.weight`), param(`${name}.bias`)], {
      kernel_shape: ints([2, 2]),
      strides: ints([2, 2]),
    });
    const [n, , h, w] = shape;
    const upOutputShape: Shape4 = [n, c, 2 * h, 2 * w];
    const skip = encoder[level - 1];
    const o = skip.crop;
    const [, , sh, sw] = skip.conv2.outputShape;
    const crop = g.op('Slice', `dec${level}_crop`, [skip.conv2.output, g.int64([o, o]), g.int64([sh - o, sw - o]), g.int64([2, 3])]);
    const cat = g.op('Concat', `dec${level}_concat`, [crop, up], { axis: int(1) });
    const conv1 = conv(`dec${level}_conv1`, cat, [n, 2 * c, 2 * h, 2 * w], c, 3, true);
    const conv2 = conv(`dec${level}_conv2`, conv1.output, conv1.outputShape, c, 3, true);
    decoder.push({ level, channels: c, upInput: x, upInputShape: shape, upOutputShape, conv1, conv2 });
    x = conv2.output;
    shape = conv2.outputShape;
  }
  const output = conv('output', x, shape, arch.numClasses, 1, false);
  return {
    encoder,
    bottom: { conv1: b1, conv2: b2 },
    dropoutMask,
    decoder,
    output,
    logits: output.output,
    logitsShape: output.outputShape,
  };
}
