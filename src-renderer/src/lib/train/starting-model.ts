import { FINE_TUNING_LEARNING_RATE, type PresetInfo, type StartingModelInfo } from '../../../../src-shared/contract/training';
import type { TrainForm } from './config-form';

/** "run #1 (name)" and what it is: "depth 2 · 8 ch · 40 steps · IoU 0.812". */
export function startingModelText(model: StartingModelInfo): { label: string; detail: string } {
  const iou = model.validationIou === null ? '' : ` · IoU ${model.validationIou.toFixed(3)}`;
  return { label: model.label, detail: `depth ${model.depth} · ${model.baseChannels} ch · ${model.step} steps${iou}` };
}

/**
 * The form with the starting model's architecture and tile (a run from it keeps them) and the fine-tuning
 * learning rate; random weights: the preset's.
 */
export function formForStart(form: TrainForm, model: StartingModelInfo | undefined, preset: PresetInfo | undefined): TrainForm {
  // A saved model has its normalisation folded in: fine-tuning trains it as it is, and gently.
  // A model that recorded its enlargement keeps it; one that did not follows the preset.
  const upscale = model?.upscale ?? preset?.upscale ?? form.upscale;
  if (model) return { ...form, depth: model.depth, baseChannels: model.baseChannels, tile: model.tile, batchNorm: false, learningRate: FINE_TUNING_LEARNING_RATE, upscale };
  return preset
    ? { ...form, depth: preset.depth, baseChannels: preset.baseChannels, tile: preset.tile, batchNorm: preset.batchNorm, borderClass: preset.borderClass, learningRate: preset.learningRate, upscale }
    : form;
}

/** The groups of the "start from" menu, in order. */
export function startingModelGroups(models: readonly StartingModelInfo[]): { title: string; models: StartingModelInfo[] }[] {
  const groups = [
    { title: 'Previous runs', models: models.filter((m) => m.kind === 'run') },
    { title: 'Imported models', models: models.filter((m) => m.kind === 'imported') },
    { title: 'Starter models', models: models.filter((m) => m.kind === 'starter') },
  ];
  return groups.filter((g) => g.models.length > 0);
}
