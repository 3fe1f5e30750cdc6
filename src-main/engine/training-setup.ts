import { createHash } from 'node:crypto';
import { totalmem } from 'node:os';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { initBackend, type BackendReport } from './backend';
import { inlineBatchSource, workerBatchSource, type BatchSource } from './batch-source';
import { BEST, LATEST, readCheckpoint, type TrainingState } from './checkpoint';
import { createStepEngine } from './create-step-engine';
import { fitOnnxRuntimeOptions } from './onnx-runtime-options';
import { fitTileToBackend } from './memory-fit';
import type { OwnedResources } from './owned-resources';
import type { StepEngine } from './step-engine';
import { architectureOf, borderClassOf, classWeightingOf, resolveTrainConfig, type TrainConfig } from './train-config';
import type { RunSoFar } from './train-result';
import type { TrainHooks, TrainRequest } from './trainer';
import { checkEnlargedSize, checkSample, enlargeSample, maxClass, trainingUpscale, prepareSample, runClassWeights, type PreparedSample, type TrainingSample } from './training-data';
import { buildUNet } from './unet-model';
import { loadInitialModel } from './initial-model';

/** A run ready for its first step: nothing in it is missing. */
export interface TrainingSetup {
  config: TrainConfig;
  backend: BackendReport;
  engine: StepEngine;
  batches: BatchSource;
  valSet: PreparedSample[];
  state: TrainingState;
  startStep: number;
  /** Seconds trained by earlier sessions of a resumed run. */
  elapsedBefore: number;
  /** Checkpoints already in this run folder (a run resuming from its own `latest`), else null. */
  latestDir: string | null;
  bestDir: string | null;
  /** Step of the latest checkpoint on disk in outDir (-1: none yet). */
  savedStep: number;
}

/** Where a run starts: fresh weights at step 0, or a checkpoint's weights, optimizer slots and state. */
type StartPoint = Pick<TrainingSetup, 'engine' | 'state' | 'startStep' | 'elapsedBefore' | 'latestDir' | 'bestDir' | 'savedStep'>;

/**
 * Checks the request, initialises the backend, prepares the samples, builds or loads the network and
 * opens the tile source. What it allocates goes to `owned`; what it has learnt so far goes to
 * `soFar`, so that a failure on the way still reports the backend, config and state it reached.
 */
export async function setupTraining(request: TrainRequest, hooks: TrainHooks, owned: OwnedResources, soFar: RunSoFar): Promise<TrainingSetup> {
  const all = [...(request.train ?? []), ...(request.validation ?? [])];
  if (!Array.isArray(request.train) || request.train.length === 0) throw new UnetError('INVALID_ARGUMENT', 'no training images');
  if (typeof request.outDir !== 'string' || request.outDir === '') throw new UnetError('INVALID_ARGUMENT', 'outDir is required');
  for (const s of all) checkSample(s);
  const channels = request.train[0].channels;
  if (all.some((s) => s.channels !== channels)) throw new UnetError('INVALID_ARGUMENT', 'all images must have the same number of channels');
  const facts = { numClasses: Math.max(2, ...all.map((s) => maxClass(s.classMap) + 1)), inChannels: channels };
  const resolved = resolveTrainConfig(request.config, facts);
  const backend = await initBackend(resolved.backend, { threads: resolved.threads });
  soFar.backend = backend;
  const warn = (m: string) => hooks.onLog?.('warn', m);
  const config = fitOnnxRuntimeOptions(fitTileToBackend(resolved, backend.active, warn), backend.active, warn);
  soFar.config = config;

  // Weights shared by every image come from the training annotations as painted (validation images weigh alike).
  const classWeights = runClassWeights(classWeightingOf(config), request.train);
  const prep = { w0: config.w0, sigma: config.sigma, separationGap: config.separationGap, borderClass: borderClassOf(config), classWeights };
  const factors = all.map((s) => trainingUpscale(s, config.upscale ?? 1));
  checkEnlargedSize(all, factors, totalmem());
  const prepared = all.map((s, i) => prepareSample(enlargeSample(s, factors[i]), prep));
  const trainSet = prepared.slice(0, request.train.length);
  const valSet = prepared.slice(request.train.length);
  // How a run is computed (backend, threads, data thread) does not change what it learns.
  const hashes = { configHash: hashJson({ ...config, backend: undefined, threads: undefined, prefetch: undefined }), dataHash: hashData(all) };
  const building: Building = { request, hooks, backend, config, hashes, owned, soFar };
  const start = request.resumeFrom ? await resumeFrom(request.resumeFrom, building) : await freshStart(building);
  // The tile worker starts before the run is reported as started: from then on the engine only steps.
  const batches = owned.own(await openBatchSource(trainSet, config, hooks), (b) => b.dispose());
  return { config, backend, batches, valSet, ...start };
}

/** What the start point is built from. */
interface Building {
  request: TrainRequest;
  hooks: TrainHooks;
  backend: BackendReport;
  config: TrainConfig;
  hashes: Pick<TrainingState, 'configHash' | 'dataHash'>;
  owned: OwnedResources;
  soFar: RunSoFar;
}

async function freshStart({ request, backend, config, hashes, owned, soFar }: Building): Promise<StartPoint> {
  // Fine-tuning starts from a model folder's weights; otherwise from the paper's random initialisation.
  const network = request.initFrom
    ? await loadInitialModel(request.initFrom, architectureOf(config), config.tile, config.seed)
    : buildUNet(architectureOf(config), { seed: config.seed, inputSize: config.tile });
  const model = owned.own(network, (m) => m.dispose());
  const engine = owned.own(await createStepEngine(backend, model, config), (e) => e.dispose());
  const state: TrainingState = { step: 0, seed: config.seed, ...hashes, elapsedSeconds: 0, curve: [], validation: [], best: null };
  soFar.state = state;
  return { engine, state, startStep: 0, elapsedBefore: 0, latestDir: null, bestDir: null, savedStep: -1 };
}

async function resumeFrom(dir: string, { request, hooks, backend, config, hashes, owned, soFar }: Building): Promise<StartPoint> {
  const ckpt = await readCheckpoint(dir);
  owned.own(ckpt.model, (m) => m.dispose());
  const arch = architectureOf(config);
  const a = ckpt.metadata.architecture;
  if (JSON.stringify(a) !== JSON.stringify(arch) || ckpt.metadata.tile.input !== config.tile) {
    throw new UnetError('CONFLICT', `checkpoint ${ckpt.dir} was trained with another architecture or tile than this config`, {
      checkpoint: { architecture: a, tile: ckpt.metadata.tile.input },
      config: { architecture: arch, tile: config.tile },
    });
  }
  if (ckpt.state.seed !== config.seed) hooks.onLog?.('warn', `resuming with seed ${config.seed}; the checkpoint used ${ckpt.state.seed}`);
  const state: TrainingState = { ...ckpt.state, ...hashes };
  const startStep = ckpt.state.step;
  const elapsedBefore = ckpt.state.elapsedSeconds;
  soFar.state = state;
  soFar.elapsedSeconds = elapsedBefore;
  const engine = owned.own(await createStepEngine(backend, ckpt.model, config), (e) => e.dispose());
  if (ckpt.optimizer) engine.setOptimizerState(ckpt.optimizer);
  else hooks.onLog?.('warn', `checkpoint ${ckpt.dir} has no optimizer state; momentum restarts from zero`);
  // Continuing in the folder it was saved in: the checkpoints there are this run's own.
  if (path.resolve(ckpt.dir) !== path.resolve(request.outDir, LATEST)) return { engine, state, startStep, elapsedBefore, latestDir: null, bestDir: null, savedStep: -1 };
  const bestDir = ckpt.state.best ? path.join(request.outDir, BEST) : null;
  soFar.latestDir = ckpt.dir;
  soFar.bestDir = bestDir;
  return { engine, state, startStep, elapsedBefore, latestDir: ckpt.dir, bestDir, savedStep: startStep };
}

/** Tiles come from a worker thread, prepared while the previous step computes; inline where a worker cannot start. */
async function openBatchSource(trainSet: PreparedSample[], config: TrainConfig, hooks: TrainHooks): Promise<BatchSource> {
  if (config.prefetch) {
    try {
      return await workerBatchSource(trainSet, config);
    } catch (error) {
      // Bad training data fails the same way inline: report it rather than retry.
      if (error instanceof UnetError && error.code === 'INVALID_ARGUMENT') throw error;
      hooks.onLog?.('warn', `preparing tiles on the training thread: the tile worker could not start (${(error as Error).message})`);
    }
  }
  return inlineBatchSource(trainSet, config);
}

function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function hashData(samples: TrainingSample[]): string {
  const h = createHash('sha256');
  for (const s of samples) {
    h.update(`${s.id}:${s.width}x${s.height}x${s.channels};`);
    h.update(new Uint8Array(s.image.buffer, s.image.byteOffset, s.image.byteLength));
    h.update(s.classMap);
    h.update(new Uint8Array(s.instanceMap.buffer, s.instanceMap.byteOffset, s.instanceMap.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}
