import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { RunStart, RunStartSource } from '../../src-shared/contract/records';
import { FINE_TUNING_LEARNING_RATE, type TrainOptions } from '../../src-shared/contract/training';
import { appRoot } from '../support/app-info';
import { modelDataClasses, readMetadata, type UNetMetadata } from '../engine/model-files';
import type { Workspace } from '../store/workspace';
import { runModelDir } from './run-model';

/** Where a fine-tuning run starts: a previous run's model, a model folder, or a starter model shipped with the app. */
export type StartingModelSource = RunStartSource;

export interface StartingModel {
  source: StartingModelSource;
  /** How the UI and the CLI name it: "run #3 (name)", "starter nuclei", or the folder. */
  label: string;
  modelDir: string;
  metadata: UNetMetadata;
}

/** What a run records of the model it started from (its lineage). */
export type RecordedStart = RunStart;

/**
 * Reads "starter:NAME", "run:ID" (or a bare run id) or a model folder path, as the CLI's --init and the
 * Train view's "start from" give it.
 */
export function parseStartingModel(spec: string): StartingModelSource {
  const trimmed = spec.trim();
  const starter = /^starter:(.+)$/i.exec(trimmed);
  if (starter) return { kind: 'starter', name: starter[1] };
  const run = /^(?:run:|#)?(\d+)$/i.exec(trimmed);
  if (run) return { kind: 'run', runId: Number(run[1]) };
  if (trimmed === '') throw new UnetError('INVALID_ARGUMENT', 'the starting model is empty: give starter:NAME, a run id or a model folder');
  return { kind: 'model', dir: trimmed };
}

/** Folder of the starter models shipped with the app (resources/models, or the packaged app's resources). */
export function starterModelsDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(path.join(packaged, 'models'))) return path.join(packaged, 'models');
  return path.join(appRoot(), 'resources', 'models');
}

/** Names of the starter models present (folders with a model description). */
export function starterModelNames(dir = starterModelsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'unet.json')))
    .map((entry) => entry.name)
    .sort();
}

export async function resolveStartingModel(ws: Workspace, source: StartingModelSource, startersDir = starterModelsDir()): Promise<StartingModel> {
  const located = locate(ws, source, startersDir);
  const metadata = await readMetadata(located.modelDir).catch((error: unknown) => {
    if (error instanceof UnetError && error.code !== 'NOT_FOUND') throw error;
    throw new UnetError('NOT_FOUND', `${located.label} has no model to start from (${located.modelDir})`, { source, modelDir: located.modelDir });
  });
  return { source, label: located.label, modelDir: located.modelDir, metadata };
}

function locate(ws: Workspace, source: StartingModelSource, startersDir: string): { label: string; modelDir: string } {
  switch (source.kind) {
    case 'run': {
      const run = ws.runs.find(source.runId);
      if (!run) throw new UnetError('NOT_FOUND', `no run #${source.runId} in this workspace to start from`, { runId: source.runId });
      if (run.status === 'running' || run.status === 'queued') {
        throw new UnetError('CONFLICT', `run #${run.id} is still ${run.status}; start from it once it has finished`, { runId: run.id });
      }
      return { label: `run #${run.id} (${run.name})`, modelDir: runModelDir(ws, run.id) };
    }
    case 'starter': {
      const names = starterModelNames(startersDir);
      if (!names.includes(source.name)) {
        const known = names.length > 0 ? `the starter models are: ${names.join(', ')}` : 'this installation has no starter models';
        throw new UnetError('NOT_FOUND', `no starter model "${source.name}"; ${known}`, { name: source.name, known: names });
      }
      return { label: `starter ${source.name}`, modelDir: path.join(startersDir, source.name) };
    }
    case 'model':
      return { label: path.resolve(source.dir), modelDir: path.resolve(source.dir) };
  }
}

export function recordedStart(model: StartingModel): RecordedStart {
  return { source: model.source, label: model.label, step: model.metadata.training.step, validationIou: model.metadata.training.validation?.iou ?? null };
}

/**
 * The options of a run that starts from `model`: the architecture is the model's (a conflicting choice
 * is refused), the tile and the normalisation default to the model's, the learning rate to
 * FINE_TUNING_LEARNING_RATE, and the data set's classes must be ones the model predicts.
 */
export function optionsFromStartingModel(options: TrainOptions, model: StartingModel, datasetClasses: number): TrainOptions {
  const arch = model.metadata.architecture;
  const conflicts: string[] = [];
  if (options.depth !== undefined && options.depth !== arch.depth) conflicts.push(`depth ${options.depth} (the model: ${arch.depth})`);
  if (options.baseChannels !== undefined && options.baseChannels !== arch.baseChannels) conflicts.push(`base channels ${options.baseChannels} (the model: ${arch.baseChannels})`);
  const hasBorder = model.metadata.borderClass !== undefined;
  if (options.borderClass !== undefined && options.borderClass !== hasBorder) conflicts.push(`the border class (the model ${hasBorder ? 'has' : 'has none'})`);
  if (conflicts.length > 0) {
    throw new UnetError('INVALID_ARGUMENT', `a run that starts from ${model.label} keeps its architecture; leave out ${conflicts.join(' and ')}`, { conflicts });
  }
  const modelClasses = modelDataClasses(model.metadata);
  if (datasetClasses > modelClasses) {
    throw new UnetError(
      'CONFLICT',
      `${model.label} predicts ${modelClasses - 1} class(es) (${model.metadata.classNames.slice(1, modelClasses).join(', ')}); this data set has ${datasetClasses - 1}. Start from random weights, or from a model with as many classes`,
      { modelClasses, datasetClasses },
    );
  }
  return {
    ...options,
    depth: arch.depth,
    baseChannels: arch.baseChannels,
    tile: options.tile ?? model.metadata.tile.input,
    borderClass: hasBorder,
    // Lower than the presets' rate: the weights are already good (FINE_TUNING_LEARNING_RATE says how it was chosen).
    learningRate: options.learningRate ?? FINE_TUNING_LEARNING_RATE,
    // A saved model has its normalisation folded in; normalising again with fresh statistics would undo
    // what it learned, so fine-tuning trains the network as it is.
    batchNorm: options.batchNorm ?? false,
    // The weights expect inputs scaled as they were in training: per image (null) or by fixed percentiles.
    normalization: options.normalization ?? (model.metadata.normalization === null ? 'per-image' : 'dataset'),
    // Objects the size the model learned them at, unless asked otherwise; a model that recorded no
    // factor follows the preset.
    ...(options.upscale !== undefined || model.metadata.upscale !== undefined ? { upscale: options.upscale ?? model.metadata.upscale } : {}),
  };
}
