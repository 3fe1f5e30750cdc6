import { channelsAtLevel, skipCrop, type UNetArchitecture } from '../unet-architecture';
import { int, ints, type GraphBuilder } from './graph-builder';

/** A 4-D shape [N, C, H, W]. */
export type Shape4 = [number, number, number, number];

/** What the backward pass needs of one convolution: its input and (with ReLU) its output. */
export interface ConvRecord {
  layer: string;
  input: string;
  inputShape: Shape4;
  output: string;
  outputShape: Shape4;
  kernel: number;
  relu: boolean;
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
 */
export function buildForward(
  g: GraphBuilder,
  arch: UNetArchitecture,
  input: string,
  inputShape: Shape4,
  param: (name: string) => string,
  dropoutMask: string | null,
  withArgmax: boolean,
): ForwardRecord {
  const conv = (layer: string, x: string, shape: Shape4, outC: number, kernel: number, relu: boolean): ConvRecord => {
    const [n, , h, w] = shape;
    const outputShape: Shape4 = [n, outC, h - kernel + 1, w - kernel + 1];
    const y = g.op('Conv', layer, [x, param(`${layer}.weight`), param(`${layer}.bias`)], {
      kernel_shape: ints([kernel, kernel]),
      pads: ints([0, 0, 0, 0]),
      strides: ints([1, 1]),
    });
    const output = relu ? g.op('Relu', `${layer}_relu`, [y]) : y;
    return { layer, input: x, inputShape: shape, output, outputShape, kernel, relu };
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
