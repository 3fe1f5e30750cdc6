import { describe, expect, it } from 'vitest';
import { trainOptionsSchema, type PresetInfo } from '../../../src-shared/contract/training';
import {
  editedFields,
  formatCount,
  formFromPreset,
  hasErrors,
  tileInfo,
  toTrainOptions,
  unetParameterCount,
  validateTrainForm,
  type TrainForm,
} from '../../../src-renderer/src/lib/train/config-form';

const paper: PresetInfo = {
  name: 'paper',
  description: 'the paper',
  depth: 4,
  baseChannels: 64,
  tile: 572,
  outputTile: 388,
  steps: 20000,
  learningRate: 1e-3,
  optimizer: 'sgd',
  momentum: 0.99,
  batchNorm: false,
  borderClass: false,
  weightAverage: 0,
  upscale: 1,
  parameters: 31_000_000,
};

function form(patch: Partial<TrainForm> = {}): TrainForm {
  return { ...formFromPreset(paper, { w0: 10, sigma: 5 }, 7), ...patch };
}

const fieldsWithErrors = (f: TrainForm) => validateTrainForm(f).filter((i) => i.level === 'error').map((i) => i.field);

describe('formFromPreset', () => {
  it('copies the preset and the loss defaults', () => {
    const f = form();
    expect(f).toMatchObject({ preset: 'paper', depth: 4, baseChannels: 64, tile: 572, steps: 20000, learningRate: 1e-3, optimizer: 'sgd', momentum: 0.99, w0: 10, sigma: 5, elastic: true, seed: 7, budget: 'steps' });
    expect(editedFields(f, paper)).toEqual([]);
    expect(validateTrainForm(f)).toEqual([]);
  });

  it('marks edited fields', () => {
    expect(editedFields(form({ tile: 556, learningRate: 5e-4 }), paper)).toEqual(['tile', 'learningRate']);
  });
});

describe('tile sizes', () => {
  it('accepts the paper tile and reports its output', () => {
    expect(tileInfo(572, 4)).toEqual({ legal: true, output: 388, below: 572, above: 572 });
  });

  it('offers the legal neighbours of an illegal tile', () => {
    // Legal sizes at depth 4 are 188 + 16k: 556 and 572 surround 570.
    expect(tileInfo(570, 4)).toEqual({ legal: false, output: null, below: 556, above: 572 });
    const issue = validateTrainForm(form({ tile: 570 })).find((i) => i.field === 'tile');
    expect(issue?.level).toBe('error');
    expect(issue?.message).toContain('556 or 572');
  });

  it('offers only the smallest legal size below it', () => {
    const info = tileInfo(100, 4);
    expect(info.legal).toBe(false);
    expect(info.below).toBe(info.above);
    expect(info.above).toBeGreaterThan(100);
    expect(tileInfo(info.above, 4).legal).toBe(true);
  });

  it('checks the tile against the depth being edited', () => {
    // 98 -> 94 -> pool -> 47: fine for one max-pool, odd before the second.
    expect(fieldsWithErrors(form({ depth: 1, tile: 98 }))).toEqual([]);
    expect(fieldsWithErrors(form({ depth: 2, tile: 98 }))).toEqual(['tile']);
  });
});

describe('validateTrainForm', () => {
  it('rejects empty and out-of-range numbers', () => {
    expect(fieldsWithErrors(form({ depth: null, baseChannels: 0, seed: -1, w0: 2000, sigma: 0 }))).toEqual(['depth', 'baseChannels', 'w0', 'sigma', 'seed']);
    expect(fieldsWithErrors(form({ depth: 2.5 }))).toContain('depth');
    expect(fieldsWithErrors(form({ learningRate: 0 }))).toEqual(['learningRate']);
  });

  it('checks only the budget in use', () => {
    expect(fieldsWithErrors(form({ steps: null }))).toEqual(['steps']);
    expect(fieldsWithErrors(form({ steps: null, budget: 'minutes', minutes: 5 }))).toEqual([]);
    expect(fieldsWithErrors(form({ budget: 'minutes', minutes: 0 }))).toEqual(['minutes']);
  });

  it('ignores momentum for Adam', () => {
    expect(fieldsWithErrors(form({ momentum: null }))).toEqual(['momentum']);
    expect(fieldsWithErrors(form({ momentum: null, optimizer: 'adam' }))).toEqual([]);
  });

  it('warns, without blocking, about SGD learning rates that diverge', () => {
    const issues = validateTrainForm(form({ learningRate: 1e-2 }));
    expect(issues).toEqual([expect.objectContaining({ field: 'learningRate', level: 'warning' })]);
    expect(hasErrors(issues)).toBe(false);
  });
});

describe('toTrainOptions', () => {
  it('produces options the contract accepts, with the chosen budget only', () => {
    const steps = toTrainOptions(form(), 'wasm');
    expect(steps).toMatchObject({ preset: 'paper', tile: 572, steps: 20000, momentum: 0.99, backend: 'wasm', seed: 7, batchNorm: false });
    expect(toTrainOptions(form({ batchNorm: true }), 'auto').batchNorm).toBe(true);
    expect(steps.normalization).toBeUndefined();
    expect(toTrainOptions(form({ perImage: true }), 'auto').normalization).toBe('per-image');
    // The preset's choice (the paper's two classes) unless the form changes it.
    expect(steps.borderClass).toBe(false);
    expect(toTrainOptions(form({ borderClass: true }), 'auto').borderClass).toBe(true);
    // Cells unless the user says the objects tile the image: then the calibration is for V_rand.
    expect(steps.calibrationMetric).toBeUndefined();
    expect(toTrainOptions(form({ objectsTile: true }), 'auto').calibrationMetric).toBe('vRand');
    expect(trainOptionsSchema.safeParse(toTrainOptions(form({ objectsTile: true }), 'auto')).success).toBe(true);
    // The preset's enlargement (the paper's: none) unless the form changes it.
    expect(steps.upscale).toBe(1);
    expect(formFromPreset({ ...paper, upscale: 'auto' }).upscale).toBe('auto');
    expect(toTrainOptions(form({ upscale: 2 }), 'auto').upscale).toBe(2);
    expect(trainOptionsSchema.safeParse(toTrainOptions(form({ upscale: 4 }), 'auto')).success).toBe(true);
    expect(toTrainOptions(form({ upscale: 'auto' }), 'auto').upscale).toBe('auto');
    // The paper's per-image balance is the run's default, so only another choice is sent.
    expect(form().classWeights).toBe('per-image');
    expect(steps.classWeights).toBeUndefined();
    expect(toTrainOptions(form({ classWeights: 'data-set' }), 'auto').classWeights).toBe('data-set');
    expect(toTrainOptions(form({ classWeights: 'none' }), 'auto').classWeights).toBe('none');
    expect(trainOptionsSchema.safeParse(toTrainOptions(form({ classWeights: 'data-set' }), 'auto')).success).toBe(true);
    expect(steps.minutes).toBeUndefined();
    expect(trainOptionsSchema.safeParse(steps).success).toBe(true);

    const minutes = toTrainOptions(form({ budget: 'minutes', minutes: 2.5, optimizer: 'adam' }), 'auto');
    expect(minutes.steps).toBeUndefined();
    expect(minutes.minutes).toBe(2.5);
    expect(minutes.momentum).toBeUndefined();
    expect(trainOptionsSchema.safeParse(minutes).success).toBe(true);
  });
});

describe('unetParameterCount', () => {
  it('counts a one-level, one-channel U-Net by hand', () => {
    // enc 10 + 10, bottom 20 + 38, up 9, dec 19 + 10, output 2.
    expect(unetParameterCount(1, 1, 1, 1)).toBe(118);
  });

  it('grows with the square of the base channels', () => {
    const small = unetParameterCount(4, 16);
    const big = unetParameterCount(4, 64);
    expect(big / small).toBeGreaterThan(15);
    expect(big / small).toBeLessThan(16.1);
    expect(formatCount(big)).toMatch(/^31\.0 M$/);
  });
});

describe('validateEvery', () => {
  it('is left to the preset when empty and checked when given', () => {
    expect(toTrainOptions(form(), 'auto').validateEvery).toBeUndefined();
    expect(toTrainOptions(form({ validateEvery: 10 }), 'auto').validateEvery).toBe(10);
    expect(fieldsWithErrors(form({ validateEvery: 0 }))).toEqual(['validateEvery']);
    expect(fieldsWithErrors(form({ validateEvery: undefined as unknown as null }))).toEqual([]);
  });
});
