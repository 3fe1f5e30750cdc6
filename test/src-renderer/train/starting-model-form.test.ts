import { describe, expect, it } from 'vitest';
import type { PresetInfo, StartingModelInfo } from '../../../src-shared/contract/training';
import { formFromPreset } from '../../../src-renderer/src/lib/train/config-form';
import { formForStart } from '../../../src-renderer/src/lib/train/starting-model';

const fast: PresetInfo = {
  name: 'fast',
  description: 'fast',
  depth: 4,
  baseChannels: 16,
  tile: 316,
  outputTile: 132,
  steps: 3000,
  learningRate: 1e-3,
  optimizer: 'adam',
  momentum: 0.99,
  batchNorm: true,
  borderClass: true,
  weightAverage: 0,
  upscale: 'auto',
  parameters: 1_900_000,
};

const starter: StartingModelInfo = { init: 'starter:nuclei', kind: 'starter', label: 'starter nuclei', depth: 4, baseChannels: 16, tile: 316, classNames: ['nucleus'], step: 19000, validationIou: 0.77 };

describe('the form for a run from a starting model', () => {
  it('enlarges as a model that recorded its enlargement did, else as the preset does', () => {
    const form = formFromPreset(fast);
    expect(formForStart(form, starter, fast).upscale).toBe('auto');
    expect(formForStart(form, { ...starter, upscale: 2 }, fast).upscale).toBe(2);
    expect(formForStart({ ...form, upscale: 3 }, undefined, fast).upscale).toBe('auto');
  });
});
