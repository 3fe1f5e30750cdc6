/**
 * The shape of a U-Net as the paper describes it. Everything that builds, saves, exports or runs a
 * model agrees on this one description; layer names follow from it (see `unetLayerNames`).
 */
export interface UNetArchitecture {
  /** Number of contracting levels (each ends in a 2x2 max-pool). The paper uses 4. */
  depth: number;
  /** Channels of the first level; they double at each level down. The paper uses 64. */
  baseChannels: number;
  /** Channels of the input image (1 for grey-value microscopy). */
  inChannels: number;
  /** Output classes K, including class 0 ("unlabeled", never predicted in practice but kept so indices match the class map). */
  numClasses: number;
  /** Dropout rate at the end of the contracting path (paper: 0.5). */
  dropout: number;
}

export const DEFAULT_ARCHITECTURE: UNetArchitecture = {
  depth: 4,
  baseChannels: 64,
  inChannels: 1,
  numClasses: 3,
  dropout: 0.5,
};

/** Channels at contracting level L (1-based); the bottom is level depth + 1. */
export function channelsAtLevel(arch: Pick<UNetArchitecture, 'baseChannels'>, level: number): number {
  return arch.baseChannels * 2 ** (level - 1);
}

/** Kind of each named layer, so an exporter knows how to read its kernel. */
export type UNetLayerKind = 'conv3x3' | 'upconv2x2' | 'conv1x1';

export interface UNetLayerInfo {
  name: string;
  kind: UNetLayerKind;
  inChannels: number;
  outChannels: number;
  /** 3x3 convolutions are followed by ReLU; up-convolutions and the 1x1 output are linear. */
  activation: 'relu' | 'linear';
}

/**
 * Every weighted layer in forward order. Weights are stored as `NAME/kernel` and `NAME/bias`,
 * NHWC; conv kernels are HWIO, Conv2DTranspose kernels are [h, w, outC, inC].
 *
 * Graph: each contracting level runs conv1, conv2 and a 2x2 max-pool (stride 2); the bottom runs
 * bottom_conv1, bottom_conv2 and dropout; each expanding level runs `dec{L}_up` (stride 2), then
 * concatenates [centre crop of enc{L}_conv2's output, up-convolution output] along channels
 * (skip first), then conv1, conv2. `output` gives logits; softmax is applied by the caller.
 */
export function unetLayers(arch: UNetArchitecture): UNetLayerInfo[] {
  const layers: UNetLayerInfo[] = [];
  let inC = arch.inChannels;
  for (let level = 1; level <= arch.depth; level++) {
    const c = channelsAtLevel(arch, level);
    layers.push({ name: `enc${level}_conv1`, kind: 'conv3x3', inChannels: inC, outChannels: c, activation: 'relu' });
    layers.push({ name: `enc${level}_conv2`, kind: 'conv3x3', inChannels: c, outChannels: c, activation: 'relu' });
    inC = c;
  }
  const bottom = channelsAtLevel(arch, arch.depth + 1);
  layers.push({ name: 'bottom_conv1', kind: 'conv3x3', inChannels: inC, outChannels: bottom, activation: 'relu' });
  layers.push({ name: 'bottom_conv2', kind: 'conv3x3', inChannels: bottom, outChannels: bottom, activation: 'relu' });
  inC = bottom;
  for (let level = arch.depth; level >= 1; level--) {
    const c = channelsAtLevel(arch, level);
    layers.push({ name: `dec${level}_up`, kind: 'upconv2x2', inChannels: inC, outChannels: c, activation: 'linear' });
    // After concatenation with the cropped skip connection the conv sees 2c channels.
    layers.push({ name: `dec${level}_conv1`, kind: 'conv3x3', inChannels: 2 * c, outChannels: c, activation: 'relu' });
    layers.push({ name: `dec${level}_conv2`, kind: 'conv3x3', inChannels: c, outChannels: c, activation: 'relu' });
    inC = c;
  }
  layers.push({ name: 'output', kind: 'conv1x1', inChannels: inC, outChannels: arch.numClasses, activation: 'linear' });
  return layers;
}

export function unetLayerNames(arch: UNetArchitecture): string[] {
  return unetLayers(arch).map((l) => l.name);
}

/**
 * Pixels cropped from each side of enc{level}_conv2's output before concatenation. It does not depend
 * on the input size: both paths shrink by the same affine rule. 4, 16, 40, 88 for levels 4..1 at depth 4.
 */
export function skipCrop(depth: number, level: number): number {
  // Difference (skip size - upsampled size) at the deepest level is 8; each level up doubles it and adds 16.
  let diff = 8;
  for (let l = depth; l > level; l--) diff = 2 * diff + 16;
  return diff / 2;
}
