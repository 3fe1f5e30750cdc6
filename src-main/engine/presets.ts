import type { PresetInfo, PresetName, Upscale } from '../../src-shared/contract/training';
import { outputSizeFor } from '../../src-shared/imaging/tile-geometry';
import { DEFAULT_ARCHITECTURE } from './unet-architecture';
import { parameterCount } from './unet-model';

export interface PresetDefinition {
  name: PresetName;
  description: string;
  depth: number;
  baseChannels: number;
  tile: number;
  steps: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  /** SGD's momentum (Adam's first-moment decay is ADAM_BETA1 unless a run sets it). */
  momentum: number;
  /** Batch normalisation while training (ONNX Runtime), folded into the saved model. */
  batchNorm: boolean;
  /** A third class of object borders (train-config's `borderClass`). */
  borderClass: boolean;
  /** Decay of the weight average the model is taken from (train-config's `weightAverage`); 0: none. */
  weightAverage: number;
  /** Images enlarged before the network (train-config's `upscale`). */
  upscale: Upscale;
  validateEvery: number;
}

/** Adam's usual first-moment decay. */
export const ADAM_BETA1 = 0.9;

/**
 * - paper: the network and tile of Ronneberger et al. (31 M parameters, 572 -> 388); for a GPU.
 * - fast: a quarter of the channels (1.9 M parameters) for CPUs. The tile is 316 -> 132: per CPU-minute it
 *   learned as fast as 572 in the reference runs (DESIGN section 7) and was ahead early, and a step takes
 *   about a fifth of the time, so progress, cancel and checkpoints stay responsive.
 *   It trains with Adam (beta1 0.9) and batch normalisation (folded into the saved model): at 800 steps on
 *   ISBI 2012, DIC-HeLa and DSB 2018 that beat the paper's SGD without normalisation on DIC-HeLa (SEG 0.085
 *   -> 0.423) and DSB 2018 (SEG 0.310 -> 0.327), not on ISBI's V_rand (docs/benchmarks.md).
 *   It trains a border class: over three folds of DIC-HeLa and DSB 2018 at 12 minutes that beat the
 *   paper's two classes (docs/benchmarks.md, "The border class"). `paper` keeps the paper's two classes.
 *   It enlarges each image by its objects' size (`upscale: 'auto'`): over three folds of DSB 2018 that
 *   raised SEG (docs/benchmarks.md, "Enlarging small objects"); DIC-HeLa's and ISBI's objects are large
 *   enough that no image of theirs is enlarged.
 * - tiny: a two-level network for tests and quick demos.
 * lr 1e-3 throughout; with SGD, momentum 0.99 (3e-3 and 1e-2 diverged in the reference runs).
 */
export const PRESETS: Record<PresetName, PresetDefinition> = {
  paper: {
    name: 'paper',
    description: 'The paper: depth 4, 64 base channels, 572 px tiles (GPU recommended)',
    depth: 4,
    baseChannels: 64,
    tile: 572,
    steps: 10_000,
    learningRate: 1e-3,
    optimizer: 'sgd',
    momentum: 0.99,
    batchNorm: false,
    borderClass: false,
    weightAverage: 0,
    upscale: 1,
    validateEvery: 250,
  },
  fast: {
    name: 'fast',
    description: 'CPU-friendly: depth 4, 16 base channels, 316 px tiles',
    depth: 4,
    baseChannels: 16,
    tile: 316,
    steps: 3_000,
    learningRate: 1e-3,
    optimizer: 'adam',
    momentum: 0.99,
    batchNorm: true,
    borderClass: true,
    weightAverage: 0,
    upscale: 'auto',
    validateEvery: 100,
  },
  tiny: {
    name: 'tiny',
    description: 'Tests and demos: depth 2, 8 base channels, 92 px tiles',
    depth: 2,
    baseChannels: 8,
    tile: 92,
    steps: 300,
    learningRate: 1e-3,
    optimizer: 'sgd',
    momentum: 0.99,
    batchNorm: false,
    borderClass: false,
    weightAverage: 0,
    upscale: 1,
    validateEvery: 50,
  },
};

export function presetInfo(name: PresetName, numClasses = DEFAULT_ARCHITECTURE.numClasses, inChannels = 1): PresetInfo {
  const p = PRESETS[name];
  return {
    name,
    description: p.description,
    depth: p.depth,
    baseChannels: p.baseChannels,
    tile: p.tile,
    outputTile: outputSizeFor(p.tile, p.depth),
    steps: p.steps,
    learningRate: p.learningRate,
    optimizer: p.optimizer,
    momentum: p.momentum,
    batchNorm: p.batchNorm,
    borderClass: p.borderClass,
    weightAverage: p.weightAverage,
    upscale: p.upscale,
    parameters: parameterCount({ depth: p.depth, baseChannels: p.baseChannels, inChannels, numClasses: numClasses + (p.borderClass ? 1 : 0), dropout: 0.5 }),
  };
}
