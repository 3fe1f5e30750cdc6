import { DEFAULT_CLASS_WEIGHTING, type BackendChoice, type ClassWeighting, type PresetInfo, type PresetName, type TrainOptions, type Upscale } from '../../../../src-shared/contract/training';
import { isLegalInputSize, nearestLegalInputSize, outputSizeFor } from '../../../../src-shared/imaging/tile-geometry';

/** The editable training configuration, as the form holds it (numbers may be null while a field is empty). */
export interface TrainForm {
  preset: PresetName;
  depth: number | null;
  baseChannels: number | null;
  tile: number | null;
  budget: 'steps' | 'minutes';
  steps: number | null;
  minutes: number | null;
  learningRate: number | null;
  optimizer: 'sgd' | 'adam';
  momentum: number | null;
  /** Batch normalisation while training (ONNX Runtime; folded into the saved model). */
  batchNorm: boolean;
  /** Scale each image by its own percentiles (images from different instruments or stains); else the run's default. */
  perImage: boolean;
  /** Train a third class, the objects' borders (a starting model keeps its own). */
  borderClass: boolean;
  /** Times the images are enlarged before the network, or 'auto' by their objects' size (1: as they are). */
  upscale: Upscale;
  /**
   * The objects tile the image (neurons in EM, separated by membranes): the post-processing is then
   * calibrated for V_rand, which may grow the objects over the membranes; else for SEG (cells).
   */
  objectsTile: boolean;
  /** How the loss balances the classes: each image by its own frequencies (the paper), over the data set, or not at all. */
  classWeights: ClassWeighting;
  w0: number | null;
  sigma: number | null;
  elastic: boolean;
  seed: number | null;
  /** Steps between validations; null leaves it to the preset. */
  validateEvery: number | null;
}

export type TrainField = Exclude<keyof TrainForm, 'preset' | 'budget' | 'optimizer' | 'elastic' | 'batchNorm' | 'perImage' | 'borderClass' | 'upscale' | 'objectsTile' | 'classWeights'>;

export interface FormIssue {
  field: TrainField;
  level: 'error' | 'warning';
  message: string;
}

export interface LossDefaults {
  w0: number;
  sigma: number;
}

/** The paper's weight-map constants (w0 = 10, sigma = 5 px). */
export const PAPER_LOSS: LossDefaults = { w0: 10, sigma: 5 };

export function formFromPreset(preset: PresetInfo, loss: LossDefaults = PAPER_LOSS, seed = 1): TrainForm {
  return {
    preset: preset.name,
    depth: preset.depth,
    baseChannels: preset.baseChannels,
    tile: preset.tile,
    budget: 'steps',
    steps: preset.steps,
    minutes: 10,
    learningRate: preset.learningRate,
    optimizer: preset.optimizer,
    momentum: preset.momentum,
    batchNorm: preset.batchNorm,
    perImage: false,
    borderClass: preset.borderClass,
    upscale: preset.upscale,
    objectsTile: false,
    classWeights: DEFAULT_CLASS_WEIGHTING,
    w0: loss.w0,
    sigma: loss.sigma,
    elastic: true,
    seed,
    validateEvery: null,
  };
}

/** Fields of the form that differ from the preset they started from (shown as "edited"). */
export function editedFields(form: TrainForm, preset: PresetInfo): TrainField[] {
  const edited: TrainField[] = [];
  const same = (a: number | null, b: number) => a !== null && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  if (!same(form.depth, preset.depth)) edited.push('depth');
  if (!same(form.baseChannels, preset.baseChannels)) edited.push('baseChannels');
  if (!same(form.tile, preset.tile)) edited.push('tile');
  if (form.budget === 'steps' && !same(form.steps, preset.steps)) edited.push('steps');
  if (!same(form.learningRate, preset.learningRate)) edited.push('learningRate');
  if (form.optimizer === 'sgd' && !same(form.momentum, preset.momentum)) edited.push('momentum');
  return edited;
}

export interface TileInfo {
  legal: boolean;
  /** Output tile edge for a legal input. */
  output: number | null;
  /** The legal sizes just below and above (or equal to) the entered one. */
  below: number;
  above: number;
}

export function tileInfo(tile: number, depth: number): TileInfo {
  if (isLegalInputSize(tile, depth)) return { legal: true, output: outputSizeFor(tile, depth), below: tile, above: tile };
  const nearest = nearestLegalInputSize(Math.max(1, tile), depth);
  // Below the smallest legal size there is only one candidate; otherwise legal sizes are 2^depth apart.
  if (nearest > tile) return { legal: false, output: null, below: nearest, above: nearest };
  return { legal: false, output: null, below: nearest, above: nearest + 2 ** depth };
}

function isInt(v: number | null): v is number {
  return v !== null && Number.isInteger(v);
}

function isNum(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

function intIn(issues: FormIssue[], field: TrainField, v: number | null, min: number, max: number, what: string): v is number {
  if (!isInt(v) || v < min || v > max) {
    issues.push({ field, level: 'error', message: `${what} must be a whole number from ${min} to ${max}.` });
    return false;
  }
  return true;
}

/** Checks the form against the contract's limits and the U-Net's tile geometry. Errors block training; warnings do not. */
export function validateTrainForm(form: TrainForm): FormIssue[] {
  const issues: FormIssue[] = [];
  const depthOk = intIn(issues, 'depth', form.depth, 1, 6, 'Depth');
  intIn(issues, 'baseChannels', form.baseChannels, 1, 128, 'Base channels');
  if (intIn(issues, 'tile', form.tile, 16, 2048, 'Tile') && depthOk) {
    const info = tileInfo(form.tile, form.depth as number);
    if (!info.legal) {
      const options = info.below === info.above ? `${info.above}` : `${info.below} or ${info.above}`;
      issues.push({
        field: 'tile',
        level: 'error',
        message: `Tile ${form.tile} is not a legal input for depth ${form.depth}: every 2x2 max-pool must see an even size. Use ${options}.`,
      });
    }
  }
  if (form.budget === 'steps') intIn(issues, 'steps', form.steps, 1, 1_000_000, 'Steps');
  else if (!isNum(form.minutes) || form.minutes <= 0 || form.minutes > 100_000)
    issues.push({ field: 'minutes', level: 'error', message: 'Minutes must be a positive number up to 100000.' });
  if (!isNum(form.learningRate) || form.learningRate <= 0 || form.learningRate > 1) {
    issues.push({ field: 'learningRate', level: 'error', message: 'Learning rate must be above 0 and at most 1.' });
  } else if (form.optimizer === 'sgd' && (form.momentum ?? 0) >= 0.9 && form.learningRate > 2e-3) {
    issues.push({
      field: 'learningRate',
      level: 'warning',
      message: 'With SGD and high momentum, learning rates above ~1e-3 often diverge (NaN) within 100 steps.',
    });
  }
  if (form.optimizer === 'sgd' && (!isNum(form.momentum) || form.momentum < 0 || form.momentum > 0.9999))
    issues.push({ field: 'momentum', level: 'error', message: 'Momentum must be from 0 to 0.9999.' });
  if (!isNum(form.w0) || form.w0 < 0 || form.w0 > 1000) issues.push({ field: 'w0', level: 'error', message: 'w0 must be from 0 to 1000.' });
  if (!isNum(form.sigma) || form.sigma <= 0 || form.sigma > 1000)
    issues.push({ field: 'sigma', level: 'error', message: 'Sigma must be above 0 and at most 1000 px.' });
  intIn(issues, 'seed', form.seed, 0, 2 ** 31 - 1, 'Seed');
  if (form.validateEvery !== null && form.validateEvery !== undefined) intIn(issues, 'validateEvery', form.validateEvery, 1, 100_000, 'Validate every');
  return issues;
}

export function hasErrors(issues: FormIssue[]): boolean {
  return issues.some((i) => i.level === 'error');
}

/** The options sent to `training.start`; call only on a form without errors. */
export function toTrainOptions(form: TrainForm, backend: BackendChoice): TrainOptions {
  const options: TrainOptions = {
    preset: form.preset,
    depth: form.depth!,
    baseChannels: form.baseChannels!,
    tile: form.tile!,
    learningRate: form.learningRate!,
    optimizer: form.optimizer,
    w0: form.w0!,
    sigma: form.sigma!,
    elastic: form.elastic,
    batchNorm: form.batchNorm,
    borderClass: form.borderClass,
    seed: form.seed!,
    backend,
  };
  if (form.optimizer === 'sgd') options.momentum = form.momentum!;
  // Unticked leaves the choice to the run: one scaling for the data set, or a starting model's own.
  if (form.perImage) options.normalization = 'per-image';
  if (form.objectsTile) options.calibrationMetric = 'vRand';
  if (form.classWeights !== DEFAULT_CLASS_WEIGHTING) options.classWeights = form.classWeights;
  options.upscale = form.upscale;
  if (form.validateEvery !== null && form.validateEvery !== undefined) options.validateEvery = form.validateEvery;
  if (form.budget === 'steps') options.steps = form.steps!;
  else options.minutes = form.minutes!;
  return options;
}

/**
 * Weights of the U-Net in `src-main/engine/unet-architecture.ts`: two 3x3 convs per level, 2x2
 * up-convolutions, a 1x1 output conv, all with biases. Shown so a user sees what an edit costs.
 */
export function unetParameterCount(depth: number, baseChannels: number, inChannels = 1, numClasses = 3): number {
  const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
  let total = 0;
  let cin = inChannels;
  for (let level = 1; level <= depth + 1; level++) {
    const c = baseChannels * 2 ** (level - 1);
    total += conv(3, cin, c) + conv(3, c, c);
    cin = c;
  }
  for (let level = depth; level >= 1; level--) {
    const c = baseChannels * 2 ** (level - 1);
    total += conv(2, cin, c) + conv(3, 2 * c, c) + conv(3, c, c);
    cin = c;
  }
  return total + conv(1, cin, numClasses);
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
