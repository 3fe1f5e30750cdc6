import { UnetError } from '../../../src-shared/contract/errors';
import { channelsAtLevel, skipCrop, type UNetArchitecture } from '../unet-architecture';
import { requireWeight, type StoredWeight } from './model-weights';
import type { OnnxModel, OnnxNode, OnnxTensor } from './onnx-writer';
import { hwioToOihw, transposedKernelToOnnx } from './weight-layout';

/** Details of the trained graph that the layer names alone do not fix. */
export interface UnetGraphStyle {
  /** Channel order of the decoder concatenation: [cropped skip, up] or [up, cropped skip]. */
  concatOrder: 'skip-first' | 'up-first';
  /** Activation after each 2x2 up-convolution. */
  upActivation: 'linear' | 'relu';
}

export const DEFAULT_GRAPH_STYLE: UnetGraphStyle = { concatOrder: 'skip-first', upActivation: 'linear' };

export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];

  constant(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  node(opType: string, name: string, inputs: string[], attributes?: OnnxNode['attributes']): string {
    const output = `${name}_out`;
    this.nodes.push({ opType, name, inputs, outputs: [output], attributes });
    return output;
  }
}

export interface UnetOnnxOptions {
  opset?: number;
  style?: UnetGraphStyle;
  metadata?: Record<string, string>;
}

/** Builds the NCHW inference graph of a U-Net from its tfjs weights: input [N, C, H, W] -> softmax [N, K, h, w]. */
export function buildUnetOnnxModel(
  arch: UNetArchitecture,
  weights: Map<string, StoredWeight>,
  options: UnetOnnxOptions = {},
): OnnxModel {
  checkArchitecture(arch);
  const style = options.style ?? DEFAULT_GRAPH_STYLE;
  const g = new GraphBuilder();

  const conv = (name: string, x: string, inC: number, outC: number, k: number, relu: boolean): string => {
    const kernel = requireWeight(weights, `${name}/kernel`, [k, k, inC, outC]);
    const bias = requireWeight(weights, `${name}/bias`, [outC]);
    const w = hwioToOihw(kernel.data, kernel.shape);
    g.initializers.push({ name: `${name}.weight`, dims: w.dims, data: w.data });
    g.initializers.push({ name: `${name}.bias`, dims: [outC], data: bias.data });
    const y = g.node('Conv', name, [x, `${name}.weight`, `${name}.bias`], {
      kernel_shape: { kind: 'ints', value: [k, k] },
      pads: { kind: 'ints', value: [0, 0, 0, 0] },
      strides: { kind: 'ints', value: [1, 1] },
    });
    return relu ? g.node('Relu', `${name}_relu`, [y]) : y;
  };

  const upConv = (name: string, x: string, inC: number, outC: number): string => {
    const kernel = requireWeight(weights, `${name}/kernel`, [2, 2, outC, inC]);
    const bias = requireWeight(weights, `${name}/bias`, [outC]);
    const w = transposedKernelToOnnx(kernel.data, kernel.shape);
    g.initializers.push({ name: `${name}.weight`, dims: w.dims, data: w.data });
    g.initializers.push({ name: `${name}.bias`, dims: [outC], data: bias.data });
    const y = g.node('ConvTranspose', name, [x, `${name}.weight`, `${name}.bias`], {
      kernel_shape: { kind: 'ints', value: [2, 2] },
      strides: { kind: 'ints', value: [2, 2] },
    });
    return style.upActivation === 'relu' ? g.node('Relu', `${name}_relu`, [y]) : y;
  };

  const skips: string[] = [];
  let x = ONNX_INPUT;
  let inC = arch.inChannels;
  for (let level = 1; level <= arch.depth; level++) {
    const c = channelsAtLevel(arch, level);
    x = conv(`enc${level}_conv1`, x, inC, c, 3, true);
    x = conv(`enc${level}_conv2`, x, c, c, 3, true);
    skips[level] = x;
    x = g.node('MaxPool', `enc${level}_pool`, [x], {
      kernel_shape: { kind: 'ints', value: [2, 2] },
      strides: { kind: 'ints', value: [2, 2] },
    });
    inC = c;
  }
  const bottomC = channelsAtLevel(arch, arch.depth + 1);
  x = conv('bottom_conv1', x, inC, bottomC, 3, true);
  x = conv('bottom_conv2', x, bottomC, bottomC, 3, true);
  inC = bottomC;

  // With unpadded convs the crop does not depend on the tile size, so constant Slice bounds with negative ends
  // keep one graph valid for every legal size (symbolic H and W).
  const axes = g.constant('crop_axes', [2, 3]);
  for (let level = arch.depth; level >= 1; level--) {
    const c = channelsAtLevel(arch, level);
    const up = upConv(`dec${level}_up`, x, inC, c);
    const o = skipCrop(arch.depth, level);
    const starts = g.constant(`dec${level}_crop_starts`, [o, o]);
    const ends = g.constant(`dec${level}_crop_ends`, [-o, -o]);
    const crop = g.node('Slice', `dec${level}_crop`, [skips[level], starts, ends, axes]);
    const parts = style.concatOrder === 'skip-first' ? [crop, up] : [up, crop];
    x = g.node('Concat', `dec${level}_concat`, parts, { axis: { kind: 'int', value: 1 } });
    x = conv(`dec${level}_conv1`, x, 2 * c, c, 3, true);
    x = conv(`dec${level}_conv2`, x, c, c, 3, true);
    inC = c;
  }
  const logits = conv('output', x, inC, arch.numClasses, 1, false);
  g.nodes.push({
    opType: 'Softmax',
    name: 'softmax',
    inputs: [logits],
    outputs: [ONNX_OUTPUT],
    attributes: { axis: { kind: 'int', value: 1 } },
  });

  return {
    graphName: 'unet',
    opset: options.opset ?? 17,
    inputs: [
      { name: ONNX_INPUT, dims: ['batch', arch.inChannels, 'height', 'width'], docString: 'normalised image tile, NCHW' },
    ],
    outputs: [
      { name: ONNX_OUTPUT, dims: ['batch', arch.numClasses, 'out_height', 'out_width'], docString: 'softmax over classes, NCHW' },
    ],
    initializers: g.initializers,
    nodes: g.nodes,
    docString: 'U-Net (Ronneberger et al. 2015) with unpadded convolutions: output = input - 2 * halo.',
    metadata: options.metadata,
  };
}

function checkArchitecture(arch: UNetArchitecture): void {
  const ints: Array<keyof UNetArchitecture> = ['depth', 'baseChannels', 'inChannels', 'numClasses'];
  for (const key of ints) {
    const v = arch[key];
    if (!Number.isInteger(v) || v <= 0) {
      throw new UnetError('CORRUPT', `architecture.${key} must be a positive integer, got ${String(v)}`);
    }
  }
  if (arch.depth > 10) throw new UnetError('UNSUPPORTED', `depth ${arch.depth} is beyond the supported 10`);
}
