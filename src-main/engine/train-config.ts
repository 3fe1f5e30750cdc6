import { z } from 'zod';
import { UnetError } from '../../src-shared/contract/errors';
import { BACKEND_CHOICES, CLASS_WEIGHTINGS, DEFAULT_CLASS_WEIGHTING, type ClassWeighting, GAMMA_RANGE_MAX, LR_SCHEDULES, SCALE_RANGE_MAX, upscaleSchema, type Upscale, PRESET_NAMES, TILE_SAMPLINGS, type LrSchedule, type PresetName, type TileSampling } from '../../src-shared/contract/training';
import { DEFAULT_AUGMENT_OPTIONS } from '../../src-shared/imaging/augmentation';
import { isLegalInputSize, nearestLegalInputSize, outputSizeFor, haloFor } from '../../src-shared/imaging/tile-geometry';
import { DEFAULT_SIGMA, DEFAULT_W0 } from '../../src-shared/imaging/weight-map';
import { DEFAULT_LR_SCHEDULE } from './lr-schedule';
import { ADAM_BETA1, PRESETS } from './presets';
import { DEFAULT_TILE_SAMPLING } from './tile-centres';
import type { UNetArchitecture } from './unet-architecture';

const augmentationSchema = z.object({
  elastic: z.boolean().default(DEFAULT_AUGMENT_OPTIONS.elastic),
  elasticSigma: z.number().min(0).max(100).default(DEFAULT_AUGMENT_OPTIONS.elasticSigma),
  elasticGrid: z.number().int().min(2).max(32).default(DEFAULT_AUGMENT_OPTIONS.elasticGrid),
  flipsRotations: z.boolean().default(DEFAULT_AUGMENT_OPTIONS.flipsRotations),
  rotation: z.boolean().default(DEFAULT_AUGMENT_OPTIONS.rotation),
  intensity: z.boolean().default(DEFAULT_AUGMENT_OPTIONS.intensity),
  /** ln gamma is drawn uniform in [-gamma, gamma]; absent (runs recorded before it could be set): DEFAULT_INTENSITY_OPTIONS.gamma. */
  gamma: z.number().min(0).max(GAMMA_RANGE_MAX).optional(),
  /** ln scale is drawn uniform in [-scale, scale]; absent or 0: no zoom (runs recorded before it could be set). */
  scale: z.number().min(0).max(SCALE_RANGE_MAX).optional(),
});

/**
 * Everything a training run needs, as a user may give it: fields left out come from the preset or the
 * defaults. `resolveTrainConfig` turns it into a complete, checked `TrainConfig` (what a run records).
 */
export const trainConfigInputSchema = z.object({
  preset: z.enum(PRESET_NAMES).default('fast'),
  depth: z.number().int().min(1).max(6).optional(),
  baseChannels: z.number().int().min(1).max(256).optional(),
  /** Square input tile; must be legal for the depth (see tile-geometry). */
  tile: z.number().int().min(16).max(2048).optional(),
  steps: z.number().int().min(1).max(10_000_000).optional(),
  /** Wall-clock budget: training stops when it is spent (the best validated checkpoint is kept). */
  minutes: z.number().positive().max(100_000).optional(),
  learningRate: z.number().positive().max(1).optional(),
  optimizer: z.enum(['sgd', 'adam']).optional(),
  /** SGD's momentum, or Adam's first-moment decay (default ADAM_BETA1). */
  momentum: z.number().min(0).max(0.9999).optional(),
  /** Batch normalisation while training (ONNX Runtime), folded into the saved model; default: the preset's. */
  batchNorm: z.boolean().optional(),
  /**
   * Decay of an exponential moving average of the weights (ONNX Runtime) that validation, checkpoints
   * and the saved model use instead of the last step's (ort-train/weight-average.ts); 0: none.
   * Default: the preset's.
   */
  weightAverage: z.number().min(0).max(0.9999).optional(),
  /** Linear learning-rate ramp from 0 over this many steps (momentum 0.99 is touchy at the start). */
  warmupSteps: z.number().int().min(0).max(100_000).default(50),
  /** After the warm-up: constant, or a cosine decay that ends when the step or time budget ends. */
  lrSchedule: z.enum(LR_SCHEDULES).default(DEFAULT_LR_SCHEDULE),
  /** Tile centres: any labelled pixel, or half of them drawn in proportion to the loss weight (borders, rare classes). */
  tileSampling: z.enum(TILE_SAMPLINGS).default(DEFAULT_TILE_SAMPLING),
  /** How the loss balances the classes (contract's CLASS_WEIGHTINGS). */
  classWeights: z.enum(CLASS_WEIGHTINGS).default(DEFAULT_CLASS_WEIGHTING),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  w0: z.number().min(0).max(1000).default(DEFAULT_W0),
  sigma: z.number().positive().max(1000).default(DEFAULT_SIGMA),
  /** Background gap forced between touching objects (pixels); 0 keeps the painted labels as they are. */
  separationGap: z.number().int().min(0).max(16).default(2),
  /**
   * Train a class more, "border" (the objects' outlines and the gaps between touching objects), as the
   * last class (numClasses and classNames count it): segmentation counts it as object and grows the
   * objects from their interiors, which keeps touching cells apart (src-shared/imaging/border-class).
   * Default: the preset's.
   */
  borderClass: z.boolean().optional(),
  /**
   * Enlarge every image this many times (bilinear; labels as blocks) before the network sees it, in
   * training and in segmentation (recorded with the model): small objects get enough pixels for the
   * network to place their outlines. 1: as they are; 'auto': each image by the size of its objects.
   * Default: the preset's.
   */
  upscale: upscaleSchema.optional(),
  augmentation: augmentationSchema.default(augmentationSchema.parse({})),
  validateEvery: z.number().int().min(1).max(1_000_000).optional(),
  /**
   * Which validated checkpoint is kept as `best`: the lowest validation loss (the weighted
   * cross-entropy, which watches the borders between cells), or the highest foreground IoU (which a
   * model calling nearly everything foreground can win where objects fill the image, as in EM).
   */
  keepBest: z.enum(['loss', 'iou']).default('loss'),
  /** Steps between `latest` checkpoints (default: validateEvery). */
  checkpointEvery: z.number().int().min(1).max(1_000_000).optional(),
  backend: z.enum(BACKEND_CHOICES).default('auto'),
  /** Tiles per optimizer step (the paper: 1 large tile). */
  batchSize: z.number().int().min(1).max(64).default(1),
  /** Intra-op threads of ONNX Runtime on the CPU (default: all cores). */
  threads: z.number().int().min(1).max(1024).optional(),
  /** Prepare the next step's tiles on a worker thread while a step computes. */
  prefetch: z.boolean().default(true),
  /** Number of classes K including class 0 (unlabeled); default: 1 + the largest class in the data. */
  numClasses: z.number().int().min(2).max(255).optional(),
  inChannels: z.number().int().min(1).max(16).optional(),
  dropout: z.number().min(0).max(0.95).default(0.5),
  /** Names of classes 0..K-1, stored with the model. */
  classNames: z.array(z.string().max(200)).max(255).optional(),
  /** On wasm, shrink a tile that would not fit the 32-bit heap instead of refusing to start. */
  autoShrinkTile: z.boolean().default(true),
});

export type TrainConfigInput = z.input<typeof trainConfigInputSchema>;
export type AugmentationConfig = z.output<typeof augmentationSchema>;

export interface TrainConfig {
  preset: (typeof PRESET_NAMES)[number];
  depth: number;
  baseChannels: number;
  tile: number;
  outputTile: number;
  halo: number;
  steps: number;
  minutes?: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  momentum: number;
  batchNorm: boolean;
  /** Decay of the weight average the model is taken from; 0: the last step's weights. */
  weightAverage: number;
  warmupSteps: number;
  lrSchedule: LrSchedule;
  tileSampling: TileSampling;
  /** How the loss balances the classes (classWeightingOf); absent: the default, as in runs recorded before it. */
  classWeights?: Exclude<ClassWeighting, typeof DEFAULT_CLASS_WEIGHTING>;
  seed: number;
  w0: number;
  sigma: number;
  separationGap: number;
  /** The last class is the objects' borders (see trainConfigInputSchema). */
  borderClass: boolean;
  /** Images enlarged this many times before the network, or by their objects' size (absent: 1; see trainConfigInputSchema). */
  upscale?: Upscale;
  augmentation: AugmentationConfig;
  validateEvery: number;
  keepBest: 'loss' | 'iou';
  checkpointEvery: number;
  backend: (typeof BACKEND_CHOICES)[number];
  batchSize: number;
  threads?: number;
  prefetch: boolean;
  numClasses: number;
  inChannels: number;
  dropout: number;
  classNames: string[];
  autoShrinkTile: boolean;
}

/** What the data says when the config leaves it open. */
export interface DataFacts {
  numClasses: number;
  inChannels: number;
}

export function resolveTrainConfig(input: TrainConfigInput, facts: DataFacts): TrainConfig {
  const parsed = trainConfigInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new UnetError('INVALID_ARGUMENT', `invalid training config: ${issues}`, { issues: parsed.error.issues });
  }
  const c = parsed.data;
  const preset = PRESETS[c.preset];
  const depth = c.depth ?? preset.depth;
  const tile = c.tile ?? (c.depth === undefined ? preset.tile : nearestLegalInputSize(preset.tile, depth));
  if (!isLegalInputSize(tile, depth)) {
    throw new UnetError(
      'INVALID_ARGUMENT',
      `tile ${tile} is not a legal input size for depth ${depth}; nearest legal size: ${nearestLegalInputSize(tile, depth)}`,
      { tile, depth },
    );
  }
  // A border class is the last class, after those of the data.
  const borderClass = trainsBorderClass(c);
  const border = borderClass ? 1 : 0;
  const numClasses = c.numClasses ?? facts.numClasses + border;
  if (numClasses < facts.numClasses + border) {
    const needed = border ? `the classes in the data (${facts.numClasses}) and the border class` : `the classes in the data (${facts.numClasses})`;
    throw new UnetError('INVALID_ARGUMENT', `numClasses ${numClasses} is smaller than ${needed}`);
  }
  const inChannels = c.inChannels ?? facts.inChannels;
  if (inChannels !== facts.inChannels) {
    throw new UnetError('INVALID_ARGUMENT', `inChannels ${inChannels} does not match the images (${facts.inChannels} channels)`);
  }
  const classNames = c.classNames ?? defaultClassNames(numClasses, borderClass);
  if (classNames.length !== numClasses) {
    throw new UnetError('INVALID_ARGUMENT', `classNames has ${classNames.length} entries, expected ${numClasses}`);
  }
  const validateEvery = c.validateEvery ?? preset.validateEvery;
  const upscale = c.upscale ?? preset.upscale;
  const optimizer = c.optimizer ?? preset.optimizer;
  return {
    preset: c.preset,
    depth,
    baseChannels: c.baseChannels ?? preset.baseChannels,
    tile,
    outputTile: outputSizeFor(tile, depth),
    halo: haloFor(depth),
    steps: c.steps ?? preset.steps,
    ...(c.minutes !== undefined ? { minutes: c.minutes } : {}),
    learningRate: c.learningRate ?? preset.learningRate,
    optimizer,
    momentum: c.momentum ?? (optimizer === 'adam' ? ADAM_BETA1 : preset.momentum),
    batchNorm: c.batchNorm ?? preset.batchNorm,
    weightAverage: c.weightAverage ?? preset.weightAverage,
    warmupSteps: c.warmupSteps,
    lrSchedule: c.lrSchedule,
    tileSampling: c.tileSampling,
    // Absent when the default, so the configs (and config hashes) of earlier runs stay as they were.
    ...(c.classWeights !== DEFAULT_CLASS_WEIGHTING ? { classWeights: c.classWeights } : {}),
    seed: c.seed,
    w0: c.w0,
    sigma: c.sigma,
    separationGap: c.separationGap,
    borderClass,
    // Absent when 1, so the configs (and config hashes) of runs that do not enlarge stay as they were.
    ...(upscale !== 1 ? { upscale } : {}),
    augmentation: c.augmentation,
    validateEvery,
    keepBest: c.keepBest,
    checkpointEvery: c.checkpointEvery ?? validateEvery,
    backend: c.backend,
    batchSize: c.batchSize,
    prefetch: c.prefetch,
    ...(c.threads !== undefined ? { threads: c.threads } : {}),
    numClasses,
    inChannels,
    dropout: c.dropout,
    classNames,
    autoShrinkTile: c.autoShrinkTile,
  };
}

/** The name a trained border class carries in the model's class names. */
export const BORDER_CLASS_NAME = 'border';

export function defaultClassNames(numClasses: number, borderClass = false): string[] {
  return Array.from({ length: numClasses }, (_, i) =>
    i === 0 ? 'unlabeled' : i === 1 ? 'background' : borderClass && i === numClasses - 1 ? BORDER_CLASS_NAME : `class ${i - 1}`,
  );
}

/** Whether a run with these options trains a border class: as it says, else as its preset does. */
export function trainsBorderClass(options: { preset?: PresetName; borderClass?: boolean }): boolean {
  return options.borderClass ?? PRESETS[options.preset ?? 'fast'].borderClass;
}

/** The index of a config's border class, if it trains one. */
export function borderClassOf(config: Pick<TrainConfig, 'borderClass' | 'numClasses'>): number | undefined {
  return config.borderClass ? config.numClasses - 1 : undefined;
}

/** How a run's loss balances the classes: as recorded, or the default a config without it stands for. */
export function classWeightingOf(config: Pick<TrainConfig, 'classWeights'>): ClassWeighting {
  return config.classWeights ?? DEFAULT_CLASS_WEIGHTING;
}

export function architectureOf(config: TrainConfig): UNetArchitecture {
  return {
    depth: config.depth,
    baseChannels: config.baseChannels,
    inChannels: config.inChannels,
    numClasses: config.numClasses,
    dropout: config.dropout,
  };
}

