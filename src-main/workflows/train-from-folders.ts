import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { MethodResult } from '../../src-shared/contract/define';
import { isFinished, type JobInfo, type JobOf } from '../../src-shared/contract/jobs';
import type { trainingService, TrainingOutcome, TrainOptions, TrainProgressInfo } from '../../src-shared/contract/training';
import type { ImagePlane } from '../../src-shared/imaging/image-plane';
import type { AppContext } from '../app/app-context';
import { readImageMetadata } from '../io/read-image';
import { defaultImageIo } from '../store/default-image-io';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { datasetNameFor, importPairsAsDataset } from './folder-dataset';
import type { ImagePair } from '../io/image-pairs';
import { runModelDir } from '../pipeline/run-model';
import { AUTO_VALIDATION_FRACTION, seededHoldOut } from '../pipeline/split-rule';

export interface TrainFromFoldersRequest {
  /** Training pairs (image + mask). */
  train: ImagePair[];
  /** Explicit validation pairs; otherwise `validationFraction` of the training pairs validate. */
  validation?: ImagePair[];
  validationFraction?: number;
  /** Held-out pairs imported into the test split (not trained on; for segmenting and scoring later). */
  test?: ImagePair[];
  /** Name of the data set to import into (default: the images' folder). */
  datasetName?: string;
  runName?: string;
  options: TrainOptions;
  /** The plane of every image to train on (and the data set's plane from now on); default: the data set's. */
  plane?: ImagePlane;
  /** Where to copy the final model (a model folder: model.json, weights.bin, unet.json, model.onnx, run.json). */
  outDir: string;
}

export interface TrainFromFoldersHooks {
  onPhase?(message: string): void;
  /** After import and splits, before training starts: a chance to adjust the data set (e.g. annotations). */
  beforeTraining?(dataset: { datasetId: number; trainIds: number[]; validationIds: number[]; testImageIds: number[] }): Promise<void>;
  onImport?(done: number, total: number): void;
  onProgress?(progress: TrainProgressInfo, job: JobOf<'training'>): void;
}

export interface TrainFromFoldersResult {
  workspace: string;
  datasetId: number;
  datasetName: string;
  runId: number;
  job: JobOf<'training'>;
  trainImages: string[];
  validationImages: string[];
  /** Image ids of the test pairs in the data set. */
  testImageIds: number[];
  outcome: TrainingOutcome | null;
  /** The model folder written (null when training produced no checkpoint). */
  modelDir: string | null;
}

/** Provenance written beside a model exported from a run, so its predictions can be recorded against it. */
export interface RunProvenance {
  workspace: string;
  runId: number;
  runName: string;
  runCreatedAt: string;
  seed: number;
  datasetId: number;
  datasetName: string;
}

export const PROVENANCE_FILE = 'run.json';

/** Share of the training pairs that validate when no validation set is given: the app's automatic split. */
export const DEFAULT_VALIDATION_FRACTION = AUTO_VALIDATION_FRACTION;

/** Deterministic hold-out of pairs: the split rule of the app (`seededHoldOut`) with the given fraction. */
export function splitPairs(pairs: ImagePair[], fraction: number, seed: number): { train: ImagePair[]; validation: ImagePair[] } {
  return seededHoldOut(pairs, fraction, seed);
}

/**
 * The command line's training: import the pairs into a data set (named after their folder), assign
 * train and validation splits, then run the same training service as the UI, follow its job, and copy
 * the final model to `outDir`. Cancelling `signal` cancels the job (the model so far is kept).
 */
export async function trainFromFolders(ctx: AppContext, request: TrainFromFoldersRequest, hooks: TrainFromFoldersHooks = {}, signal?: AbortSignal): Promise<TrainFromFoldersResult> {
  const context: WorkspaceContext = { workspace: ctx.workspace, bus: ctx.bus, jobs: ctx.jobs, logger: ctx.logger, io: defaultImageIo, isPathAllowed: () => true };
  const seed = request.options.seed ?? 1;
  const { train, validation } = request.validation
    ? { train: request.train, validation: request.validation }
    : splitPairs(request.train, request.validationFraction ?? DEFAULT_VALIDATION_FRACTION, seed);
  const test = request.test ?? [];
  await checkMaskSizes([...train, ...validation, ...test]);
  hooks.onPhase?.(`importing ${train.length + validation.length + test.length} image(s) into the workspace`);
  const dataset = await importPairsAsDataset(context, request.datasetName ?? datasetNameFor(path.dirname(train[0].image)), [...train, ...validation, ...test], hooks.onImport);
  // A mask that could not be used (wrong size, not labels) would silently drop its image: stop instead.
  const failures = dataset.import.failures;
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    throw new UnetError('INVALID_ARGUMENT', `${failures[0].path}: ${failures[0].error}${more}`, { failures, usage: true });
  }
  const ws = ctx.workspace.current;
  const idsOf = (pairs: ImagePair[]) => pairs.map((p) => dataset.imageIds.get(path.resolve(p.image))).filter((id): id is number => id !== undefined);
  const trainIds = idsOf(train);
  const validationIds = idsOf(validation);
  if (trainIds.length > 0) ws.images.setSplit(trainIds, 'train');
  if (validationIds.length > 0) ws.images.setSplit(validationIds, 'validation');
  const testImageIds = idsOf(test);
  if (testImageIds.length > 0) ws.images.setSplit(testImageIds, 'test');
  ctx.bus.emit('images.changed', { datasetId: dataset.datasetId, ids: [...trainIds, ...validationIds, ...testImageIds], reason: 'split' });

  // The masks were drawn for this plane: their annotations go with it (force).
  if (request.plane) {
    const planeSet = await ctx.dispatch('datasets.setPlane', { id: dataset.datasetId, plane: request.plane, force: true });
    if (!planeSet.ok) throw UnetError.fromInfo(planeSet.error);
  }
  await hooks.beforeTraining?.({ datasetId: dataset.datasetId, trainIds, validationIds, testImageIds });
  hooks.onPhase?.('checking and loading the training data');
  // Through the dispatcher, exactly as the UI calls it (the input is validated against the contract).
  const outcomeOfStart = await ctx.dispatch('training.start', { datasetId: dataset.datasetId, name: request.runName, options: request.options });
  if (!outcomeOfStart.ok) throw UnetError.fromInfo(outcomeOfStart.error);
  const started = outcomeOfStart.value as MethodResult<typeof trainingService, 'start'>;
  let lastData: TrainProgressInfo | undefined;
  const unsubscribe = ctx.bus.subscribe((channel, payload) => {
    if (channel !== 'jobs.update') return;
    const job = payload as JobInfo;
    // Other updates of the job (status, messages) repeat the last progress data: report each step once.
    if (job.id !== started.job.id || job.kind !== 'training' || !job.data || job.data === lastData || job.data.runId !== started.runId) return;
    lastData = job.data;
    hooks.onProgress?.(job.data, job);
  });
  const cancel = () => ctx.jobs.cancel(started.job.id);
  signal?.addEventListener('abort', cancel, { once: true });
  if (signal?.aborted) cancel();
  let job: JobOf<'training'>;
  try {
    job = await ctx.jobs.wait(started.job);
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', cancel);
  }
  const outcome = job.status === 'succeeded' ? (job.result ?? null) : null;
  const source = runModelDir(ws, started.runId);
  let modelDir: string | null = null;
  if (isFinished(job.status) && (outcome?.modelDir ?? (await exists(path.join(source, 'unet.json'))))) {
    const run = ws.runs.summary(started.runId);
    const provenance: RunProvenance = {
      workspace: ws.path,
      runId: run.id,
      runName: run.name,
      runCreatedAt: run.createdAt,
      seed: run.seed,
      datasetId: dataset.datasetId,
      datasetName: dataset.datasetName,
    };
    await copyModelFolder(source, request.outDir, provenance);
    modelDir = request.outDir;
  }
  return {
    workspace: ws.path,
    datasetId: dataset.datasetId,
    datasetName: dataset.datasetName,
    runId: started.runId,
    job,
    trainImages: train.map((p) => p.image),
    validationImages: validation.map((p) => p.image),
    testImageIds,
    outcome,
    modelDir,
  };
}

/** Masks must match their images pixel for pixel; checked from the headers before anything is imported. */
export async function checkMaskSizes(pairs: ImagePair[]): Promise<void> {
  for (const pair of pairs) {
    const [image, mask] = await Promise.all([readImageMetadata(pair.image), readImageMetadata(pair.mask)]);
    if (image.width !== mask.width || image.height !== mask.height) {
      throw new UnetError('INVALID_ARGUMENT', `${pair.mask} is ${mask.width}x${mask.height} but its image ${path.basename(pair.image)} is ${image.width}x${image.height}`, {
        image: pair.image,
        mask: pair.mask,
        usage: true,
      });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Copies a run's model folder (and its ONNX export) to `dest`, with the run's provenance. */
async function copyModelFolder(source: string, dest: string, provenance: RunProvenance): Promise<void> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { writeFolderAtomically } = await import('../engine/model-files');
  const files: Array<[string, Uint8Array | string]> = [];
  for (const name of await readdir(source)) files.push([name, await readFile(path.join(source, name))]);
  files.push([PROVENANCE_FILE, JSON.stringify(provenance, null, 2)]);
  await writeFolderAtomically(dest, files);
}

