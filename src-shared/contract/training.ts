import { z } from 'zod';
import type { Polarity } from '../imaging/otsu';
import { defineService, event, method } from './define';
import type { JobOf } from './jobs';
import { fsPath, rowId, type Split } from './records';
import type { TrainingBackend } from './system';

export const PRESET_NAMES = ['paper', 'fast', 'tiny'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * Training backends a user can ask for. 'auto' takes the fastest that works here; 'ort' is ONNX Runtime
 * with its best provider here (CUDA, DirectML, else the CPU); the others force one backend, and a forced
 * backend that cannot start is an error, never a silent fallback. 'gpu' and 'node' are the earlier names
 * of 'tfjs-node-gpu' and 'tfjs-node', kept so saved settings stay valid.
 */
export const BACKEND_CHOICES = [
  'auto',
  'ort',
  'ort-cpu',
  'ort-cuda',
  'ort-dml',
  'ort-webgpu',
  'ort-coreml',
  'tfjs-node-gpu',
  'tfjs-node',
  'wasm',
  'cpu',
  'gpu',
  'node',
] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The backends a choice may start, in the order they are tried. */
export function backendCandidates(choice: BackendChoice): TrainingBackend[] {
  switch (choice) {
    case 'auto':
      return ['onnxruntime-cuda', 'tensorflow-gpu', 'onnxruntime-dml', 'onnxruntime-cpu', 'tensorflow', 'wasm', 'cpu'];
    case 'ort':
      return ['onnxruntime-cuda', 'onnxruntime-dml', 'onnxruntime-cpu'];
    case 'ort-cpu':
      return ['onnxruntime-cpu'];
    case 'ort-cuda':
      return ['onnxruntime-cuda'];
    case 'ort-dml':
      return ['onnxruntime-dml'];
    case 'ort-webgpu':
      return ['onnxruntime-webgpu'];
    case 'ort-coreml':
      return ['onnxruntime-coreml'];
    case 'tfjs-node-gpu':
    case 'gpu':
      return ['tensorflow-gpu'];
    case 'tfjs-node':
    case 'node':
      return ['tensorflow'];
    case 'wasm':
      return ['wasm'];
    case 'cpu':
      return ['cpu'];
  }
}

/** After the warm-up: a constant learning rate, or a cosine decay that ends when the budget ends. */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** Tile centres: any labelled pixel, or half of the tiles in proportion to the loss weight (borders, rarer class). */
export const TILE_SAMPLINGS = ['labelled', 'weighted'] as const;
export type TileSampling = (typeof TILE_SAMPLINGS)[number];

/**
 * How the loss weighs the classes (the paper's w_c, which balances class frequencies): 'per-image' by
 * each image's own frequencies, 'data-set' by those of all the training annotations together, 'none'
 * weighs every class alike. The border term (w0, sigma) is added in every case.
 */
export const CLASS_WEIGHTINGS = ['per-image', 'data-set', 'none'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];
export const DEFAULT_CLASS_WEIGHTING = 'per-image' satisfies ClassWeighting;

/**
 * Learning rate of a run that starts from a saved model, unless the user sets one: under a third of the
 * presets'. Fine-tuning the starter on DSB 2018 for 12 minutes, 3e-4 beat 1e-4 on every fold (SEG 0.735 ->
 * 0.748; docs/benchmarks.md, "The fine-tuning learning rate").
 */
export const FINE_TUNING_LEARNING_RATE = 3e-4;

/** Scores the instance post-processing can be chosen for (see `calibrationMetric`). */
export const CALIBRATION_METRIC_NAMES = ['seg', 'ap50', 'vRand'] as const;
export type CalibrationMetricName = (typeof CALIBRATION_METRIC_NAMES)[number];

/** Largest gamma range a run may ask for (ln gamma; 1.5: gamma 0.22–4.5). */
export const GAMMA_RANGE_MAX = 1.5;

/** Largest zoom range a run may ask for (ln scale; 0.7: content 0.5x to 2x). */
export const SCALE_RANGE_MAX = 0.7;
/** The largest whole factor images are enlarged by before the network (`upscale`). */
export const MAX_UPSCALE = 4;
/** Times images are enlarged before the network, or 'auto': each image by the size of its objects (src-shared/imaging/object-size). */
export type Upscale = number | 'auto';
export const upscaleSchema = z.union([z.number().int().min(1).max(MAX_UPSCALE), z.literal('auto')]);

const seedSchema = z.number().int().min(0).max(2 ** 31 - 1);

/**
 * What a user may set for a training run. Anything left out comes from the preset; the full,
 * resolved configuration is recorded with the run.
 */
export const trainOptionsSchema = z.object({
  preset: z.enum(PRESET_NAMES).default('fast'),
  depth: z.number().int().min(1).max(6).optional(),
  baseChannels: z.number().int().min(1).max(128).optional(),
  tile: z.number().int().min(16).max(2048).optional(),
  steps: z.number().int().min(1).max(1_000_000).optional(),
  minutes: z.number().positive().max(100_000).optional(),
  learningRate: z.number().positive().max(1).optional(),
  optimizer: z.enum(['sgd', 'adam']).optional(),
  momentum: z.number().min(0).max(0.9999).optional(),
  seed: seedSchema.optional(),
  w0: z.number().min(0).max(1000).optional(),
  sigma: z.number().positive().max(1000).optional(),
  elastic: z.boolean().optional(),
  lrSchedule: z.enum(LR_SCHEDULES).optional(),
  /** Start from a model's weights (fine-tuning): "starter:NAME", a run id ("run:3" or "3"), or a model folder. */
  init: z.string().trim().min(1).max(4096).optional(),
  tileSampling: z.enum(TILE_SAMPLINGS).optional(),
  /**
   * How the loss balances the classes (CLASS_WEIGHTINGS). Balancing each image by its own frequencies
   * (the default) pulls the outlines outwards on images with few objects and inwards on crowded ones;
   * 'data-set' pulls alike on every image (docs/benchmarks.md, "Class weights").
   */
  classWeights: z.enum(CLASS_WEIGHTINGS).optional(),
  /**
   * Train a third class, "border" (the objects' outlines and the gaps between touching objects):
   * segmentation grows each object from its interior, which keeps touching cells apart. Default: the
   * preset's (on for fast; a starting model's own when fine-tuning).
   */
  borderClass: z.boolean().optional(),
  /**
   * Take the model from an exponential moving average of the weights with this decay (about the last
   * 1 / (1 - decay) steps; ONNX Runtime only) instead of the last step's weights; 0: none. Default:
   * the preset's (none: on three data sets it won on one only).
   */
  weightAverage: z.number().min(0).max(0.9999).optional(),
  /**
   * Intensity scaling: 'dataset' (default) maps the 1st/99.8th percentiles of all training images to
   * 0/1 and applies that to every image later; 'per-image' uses each image's own percentiles (for
   * collections mixing acquisitions whose brightness differs).
   */
  normalization: z.enum(['dataset', 'per-image']).optional(),
  /**
   * Gray-value augmentation: the largest change of gamma, as ln gamma (0.5 draws gamma in 0.61–1.65).
   * Default 0.5 (RUN_GAMMA_RANGE, chosen by measurement: docs/benchmarks.md, "A wider gamma").
   */
  gamma: z.number().min(0).max(GAMMA_RANGE_MAX).optional(),
  /**
   * Zoom augmentation: the largest change of scale, as ln scale (0.3 shows the content 0.74x to 1.35x), for
   * objects whose size varies between images. Default RUN_SCALE_RANGE (0, no zoom: 0.3 tied DSB 2018 over
   * three folds, docs/benchmarks.md, "Zoom").
   */
  scale: z.number().min(0).max(SCALE_RANGE_MAX).optional(),
  /**
   * Enlarge the images this many times (1 to 4) before the network sees them, in training and when the
   * model segments (recorded with it), for objects only a few pixels across; 'auto': each image as much
   * as its objects need (by the annotated objects in training, by a first segmentation later). Default:
   * a starting model's own factor when it recorded one, else the preset's (auto for fast: docs/benchmarks.md,
   * "Enlarging small objects").
   */
  upscale: upscaleSchema.optional(),
  /**
   * Batch normalisation before each 3x3 convolution's ReLU while training (ONNX Runtime engines), folded
   * into the convolutions when the model is saved, so the model stays the paper's network. Default: the
   * preset's (on for fast; off when fine-tuning a model).
   */
  batchNorm: z.boolean().optional(),
  /**
   * The score the instance post-processing is chosen for on the validation images after training: SEG
   * (default; cells), AP@0.5, or V_rand (objects that tile the image, as neurons in EM).
   */
  calibrationMetric: z.enum(CALIBRATION_METRIC_NAMES).optional(),
  validateEvery: z.number().int().min(1).max(100_000).optional(),
  backend: z.enum(BACKEND_CHOICES).default('auto'),
  /** CPU threads for ONNX Runtime (default: all cores). */
  threads: z.number().int().min(1).max(1024).optional(),
  /** Tiles per step (default 1, the paper). */
  batchSize: z.number().int().min(1).max(64).optional(),
});
export type TrainOptions = z.input<typeof trainOptionsSchema>;

export interface PresetInfo {
  name: PresetName;
  description: string;
  depth: number;
  baseChannels: number;
  tile: number;
  outputTile: number;
  steps: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  momentum: number;
  batchNorm: boolean;
  /** Whether it trains a third class, the objects' borders. */
  borderClass: boolean;
  /** Decay of the weight average the model is taken from; 0: the last step's weights. */
  weightAverage: number;
  /** Times images are enlarged before the network, or 'auto' by their objects' size. */
  upscale: Upscale;
  /** Parameters of the network, for the UI. */
  parameters: number;
}

/** Live numbers of a training job, carried in the job's `data` and as `training.progress` events. */
export interface TrainProgressInfo {
  runId: number;
  step: number;
  totalSteps: number;
  loss: number;
  validation?: { loss: number; iou: number };
  tilesPerSecond: number;
  etaSeconds: number;
  elapsedSeconds: number;
  backend?: TrainingBackend;
}

/** Instance post-processing parameters chosen on a run's validation images (and training images beside them), with how they were chosen. */
export interface CalibratedInstances {
  options: { threshold?: number; erosion?: number; growth?: 'nearest' | 'probability' | 'distance'; minSize?: number; fill?: boolean; merge?: number };
  /** The score maximised, on how many images, the chosen value and that of the model's default. */
  metric: CalibrationMetricName;
  images: number;
  /** Of `images`, how many were training images, added beside the validation images (absent in older models: none). */
  trainingImages?: number;
  score: number;
  defaultScore: number;
  candidates: number;
  /**
   * How much choosing by the grid gained over plain components on image quarters it did not choose on
   * (leave one quarter out); at or below 0 the calibration keeps plain components. Absent in older models.
   */
  heldOutGain?: number;
}

/** The Otsu baseline as fit to a run's training annotations: which side of the threshold is foreground. */
export interface ModelBaseline {
  method: 'otsu';
  sigma: number;
  polarity: Polarity;
  rule: 'training annotations' | 'minority';
}

/** What a training job returns when it ends normally. */
export interface TrainingOutcome {
  runId: number;
  steps: number;
  stopReason?: 'steps' | 'time';
  best: { step: number; loss: number; iou: number } | null;
  modelDir: string | null;
  elapsedSeconds: number;
  backend?: TrainingBackend;
  /** The instance post-processing and Otsu polarity chosen after training and stored with the model. */
  calibration?: { instances: CalibratedInstances | null; baseline: ModelBaseline | null; trainingNoise?: { sigma: number; images: number } | null };
}

export interface SplitPlanImage {
  imageId: number;
  name: string;
}

/**
 * What `training.start` would train and validate on, shown before the click. 'manual': the data
 * set's own train and validation splits (any image in either makes the split manual); 'automatic':
 * its annotated images in no split, shuffled with the seed, about 80 % train and 20 % validation (at
 * least one of two or more validates; a single image trains).
 */
export interface TrainingSplitPlan {
  datasetId: number;
  seed: number;
  mode: 'manual' | 'automatic';
  /** Share held out for validation by the automatic split. */
  validationFraction: number;
  train: SplitPlanImage[];
  validation: SplitPlanImage[];
  /** Images, and annotated images, per split of the data set ('none': in no split). */
  counts: Record<Split | 'none', { images: number; annotated: number }>;
  /** Why `training.start` would refuse the data set as it is now (the same message), or null. */
  blocker: string | null;
}

/** A model a run can start from, as the Train view offers it. */
export interface StartingModelInfo {
  /** What `TrainOptions.init` takes for it: "run:3", "starter:NAME" or a model folder. */
  init: string;
  kind: 'run' | 'imported' | 'starter';
  /** "run #3 (name)", "imported NAME", "starter NAME". */
  label: string;
  /** The run's data set, for runs. */
  datasetId?: number;
  /** The architecture a run started from it keeps. */
  depth: number;
  baseChannels: number;
  tile: number;
  /** Names of the object classes it predicts (values 2.., without unlabelled and background). */
  classNames: string[];
  /** The enlargement it was trained with, when it recorded one (a run from it keeps it). */
  upscale?: Upscale;
  step: number;
  validationIou: number | null;
}

/** A bioimage.io package imported as a model to start from, and how well it reproduced its own test output. */
export interface ImportedStartingModel {
  model: StartingModelInfo;
  /** Largest difference between the imported model's output on the package's test input and the package's test output. */
  maxAbsDifference: number;
  /** The difference is within float32 rounding: the weights are those that were exported. */
  ok: boolean;
}

export const trainingService = defineService({
  methods: {
    presets: method().returns<PresetInfo[]>(),
    /** The split a run with this seed would use on the data set, and whether it can start. */
    planSplit: method(z.object({ datasetId: rowId, seed: seedSchema.default(1) })).returns<TrainingSplitPlan>(),
    /**
     * The models a run can start from (`TrainOptions.init`): succeeded runs with a model (newest first),
     * models imported into the workspace (models/imported), and the starter models shipped with the app.
     */
    startingModels: method().returns<StartingModelInfo[]>(),
    /**
     * Imports a bioimage.io package exported by U-Net Studio (.zip) into the workspace's models/imported
     * (as `unet-studio import-model` does), checks it on its test tensors, and offers it to start from.
     */
    importModel: method(z.object({ path: fsPath })).returns<ImportedStartingModel>(),
    /** Starts training on a data set's train split (validation split scored as it goes). */
    start: method(
      z.object({
        datasetId: z.number().int().positive(),
        name: z.string().max(200).optional(),
        options: trainOptionsSchema.default({ preset: 'fast', backend: 'auto' }),
      }),
    ).returns<{ job: JobOf<'training'>; runId: number }>(),
    /** Continues an interrupted or cancelled run from its latest checkpoint. */
    resume: method(z.object({ runId: z.number().int().positive() })).returns<{ job: JobOf<'training'>; runId: number }>(),
  },
  events: {
    progress: event<TrainProgressInfo>(),
  },
});
