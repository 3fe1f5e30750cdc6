import { createHash } from 'node:crypto';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { toErrorInfo, UnetError, type ErrorInfo } from '../../src-shared/contract/errors';
import type { NormalizationParams } from '../../src-shared/imaging/normalization';
import { initBackend, type BackendReport } from './backend';
import { BEST, LATEST, readCheckpoint, writeCheckpoint, type CurveEntry, type SavedCheckpoint, type TrainingState, type ValidationEntry } from './checkpoint';
import { checkFiniteLoss } from './loss';
import { fitTileToBackend } from './memory-fit';
import { METADATA_FORMAT, METADATA_VERSION, type UNetMetadata } from './model-files';
import { createStepEngine } from './create-step-engine';
import { isOutOfMemoryMessage } from '../../src-shared/contract/out-of-memory';
import type { StepEngine } from './step-engine';
import { budgetProgress, learningRateAt } from './lr-schedule';
import { architectureOf, resolveTrainConfig, type TrainConfig, type TrainConfigInput } from './train-config';
import { inlineBatchSource, stepRng, workerBatchSource, type BatchSource } from './batch-source';
import { checkSample, maxClass, prepareSample, type PreparedSample, type TrainingSample } from './training-data';
import { buildUNet } from './unet-model';
import { evaluate } from './validation';
import { softwareVersions } from './versions';

export type { TrainingSample } from './training-data';

export interface TrainRequest {
  config: TrainConfigInput;
  train: TrainingSample[];
  validation: TrainingSample[];
  /** Run folder: checkpoints go to `latest/` and `best/` inside it. */
  outDir: string;
  /** A checkpoint folder (or a run folder with `latest/`) to continue from. */
  resumeFrom?: string;
  /** How the images were normalised; stored with the model so that inference does the same. */
  normalization?: NormalizationParams | null;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  validation?: { loss: number; iou: number };
  tilesPerSecond: number;
  etaSeconds: number;
  /** Seconds of training so far, including earlier sessions of a resumed run. */
  elapsed: number;
  /** Milliseconds this step waited for its tiles (sampling, augmentation). */
  dataMs: number;
}

export type CheckpointInfo = SavedCheckpoint & { validation?: { loss: number; iou: number } };

export interface TrainHooks {
  onProgress?(p: TrainProgress): void;
  /** Polled before every step; true stops the run (status 'cancelled', latest checkpoint saved). */
  shouldStop?(): boolean;
  onCheckpoint?(c: CheckpointInfo): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Called once the backend and the resolved config are known. */
  onStart?(info: { backend: BackendReport; config: TrainConfig; startStep: number }): void;
}

export type TrainStatus = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface TrainResult {
  status: TrainStatus;
  error?: ErrorInfo;
  /** Why a successful run ended. */
  stopReason?: 'steps' | 'time';
  bestCheckpoint: string | null;
  latestCheckpoint: string | null;
  /** Last completed step. */
  steps: number;
  metrics: {
    curve: CurveEntry[];
    validation: ValidationEntry[];
    best: ValidationEntry | null;
  };
  backend?: BackendReport;
  config?: TrainConfig;
  elapsedSeconds: number;
}

/** Trains a U-Net in this process. Never throws: failures come back as status 'failed' with an error. */
export async function train(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const run = new TrainingRun(request, hooks);
  try {
    return await run.execute();
  } catch (error) {
    return run.failed(error);
  } finally {
    await run.dispose();
  }
}

class TrainingRun {
  private config?: TrainConfig;
  private backend?: BackendReport;
  private model: tfl.LayersModel | null = null;
  private engine: StepEngine | null = null;
  private batches: BatchSource | null = null;
  private state: TrainingState | null = null;
  private latestDir: string | null = null;
  private bestDir: string | null = null;
  private sessionStart = 0;
  private elapsedBefore = 0;
  /** Step of the latest checkpoint on disk in outDir (-1: none yet). */
  private savedStep = -1;

  constructor(
    private readonly request: TrainRequest,
    private readonly hooks: TrainHooks,
  ) {}

  async execute(): Promise<TrainResult> {
    const { request, hooks } = this;
    const all = [...(request.train ?? []), ...(request.validation ?? [])];
    if (!Array.isArray(request.train) || request.train.length === 0) throw new UnetError('INVALID_ARGUMENT', 'no training images');
    if (typeof request.outDir !== 'string' || request.outDir === '') throw new UnetError('INVALID_ARGUMENT', 'outDir is required');
    for (const s of all) checkSample(s);
    const channels = request.train[0].channels;
    if (all.some((s) => s.channels !== channels)) throw new UnetError('INVALID_ARGUMENT', 'all images must have the same number of channels');
    const facts = { numClasses: Math.max(2, ...all.map((s) => maxClass(s.classMap) + 1)), inChannels: channels };
    let config = resolveTrainConfig(request.config, facts);
    const backend = await initBackend(config.backend, { threads: config.threads });
    this.backend = backend;
    config = fitTileToBackend(config, backend.active, (m) => hooks.onLog?.('warn', m));
    this.config = config;

    const prep = { w0: config.w0, sigma: config.sigma, separationGap: config.separationGap };
    const trainSet = request.train.map((s) => prepareSample(s, prep));
    const valSet = (request.validation ?? []).map((s) => prepareSample(s, prep));
    // How a run is computed (backend, threads, data thread) does not change what it learns.
    const configHash = hashJson({ ...config, backend: undefined, threads: undefined, prefetch: undefined });
    const dataHash = hashData(all);
    const arch = architectureOf(config);

    let startStep = 0;
    if (request.resumeFrom) {
      const ckpt = await readCheckpoint(request.resumeFrom);
      this.model = ckpt.model;
      const a = ckpt.metadata.architecture;
      if (JSON.stringify(a) !== JSON.stringify(arch) || ckpt.metadata.tile.input !== config.tile) {
        throw new UnetError('CONFLICT', `checkpoint ${ckpt.dir} was trained with another architecture or tile than this config`, {
          checkpoint: { architecture: a, tile: ckpt.metadata.tile.input },
          config: { architecture: arch, tile: config.tile },
        });
      }
      if (ckpt.state.seed !== config.seed) hooks.onLog?.('warn', `resuming with seed ${config.seed}; the checkpoint used ${ckpt.state.seed}`);
      this.state = { ...ckpt.state, configHash, dataHash };
      startStep = ckpt.state.step;
      this.elapsedBefore = ckpt.state.elapsedSeconds;
      this.engine = await createStepEngine(backend, ckpt.model, config);
      if (ckpt.optimizer) this.engine.setOptimizerState(ckpt.optimizer);
      else hooks.onLog?.('warn', `checkpoint ${ckpt.dir} has no optimizer state; momentum restarts from zero`);
      if (path.resolve(ckpt.dir) === path.resolve(request.outDir, LATEST)) {
        this.latestDir = ckpt.dir;
        this.savedStep = startStep;
        if (ckpt.state.best) this.bestDir = path.join(request.outDir, BEST);
      }
    } else {
      this.model = buildUNet(arch, { seed: config.seed, inputSize: config.tile });
      this.engine = await createStepEngine(backend, this.model, config);
      this.state = { step: 0, seed: config.seed, configHash, dataHash, elapsedSeconds: 0, curve: [], validation: [], best: null };
    }
    // The tile worker starts before the run is reported as started: from then on the engine only steps.
    const batches = await this.openBatchSource(trainSet, config);
    this.batches = batches;
    hooks.onStart?.({ backend, config, startStep });
    this.sessionStart = performance.now();
    const state = this.state;
    const engine = this.engine;
    const stepTimes: number[] = [];
    const deadline = config.minutes !== undefined ? config.minutes * 60 : Infinity;
    let lastValidated = state.validation.length > 0 ? state.validation[state.validation.length - 1].step : -1;
    let stopReason: TrainResult['stopReason'] = 'steps';

    for (let step = startStep + 1; step <= config.steps; step++) {
      // A step is synchronous compute: yield so that messages (cancel) and timers get their turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (hooks.shouldStop?.()) return await this.finish('cancelled');
      if (this.elapsed() >= deadline) {
        stopReason = 'time';
        break;
      }
      const t0 = performance.now();
      const batch = await batches.take(step);
      const dataMs = performance.now() - t0;
      const lr = learningRateAt(config, step, budgetProgress(config, step, this.elapsed()));
      const loss = await engine.step(batch, lr, stepRng(config.seed ^ DROPOUT_SEED, step));
      checkFiniteLoss(loss, step, lr);
      state.step = step;
      state.curve.push({ step, loss });
      stepTimes.push(performance.now() - t0);
      if (stepTimes.length > 20) stepTimes.shift();

      let validation: { loss: number; iou: number } | undefined;
      if (valSet.length > 0 && (step % config.validateEvery === 0 || step === config.steps)) {
        validation = await this.validate(valSet, step);
        lastValidated = step;
      }
      this.emitProgress(step, loss, lr, validation, stepTimes, deadline, dataMs);
      if (step % config.checkpointEvery === 0 || step === config.steps) await this.saveLatest();
    }

    if (valSet.length > 0 && lastValidated !== state.step && state.step > startStep) await this.validate(valSet, state.step);
    return await this.finish('succeeded', stopReason);
  }

  private async validate(valSet: ReturnType<typeof prepareSample>[], step: number): Promise<{ loss: number; iou: number }> {
    const config = this.config as TrainConfig;
    const state = this.state as TrainingState;
    const engine = this.engine as StepEngine;
    const score = await evaluate(engine.predictor(), valSet, config.tile, config.depth, config.numClasses);
    const entry = { step, loss: score.loss, iou: score.iou };
    state.validation.push(entry);
    if (!state.best || entry.iou > state.best.iou) {
      state.best = entry;
      this.bestDir = path.join(this.request.outDir, BEST);
      await engine.syncModel();
      await writeCheckpoint(this.bestDir, engine.model, this.metadata(entry), this.snapshot(), null);
      this.hooks.onCheckpoint?.({ kind: 'best', dir: this.bestDir, step, validation: score });
    }
    return score;
  }

  private async saveLatest(): Promise<void> {
    const state = this.state as TrainingState;
    this.latestDir = path.join(this.request.outDir, LATEST);
    const engine = this.engine as StepEngine;
    const optimizerState = await engine.optimizerState();
    await engine.syncModel();
    await writeCheckpoint(this.latestDir, engine.model, this.metadata(), this.snapshot(), optimizerState);
    this.savedStep = state.step;
    this.hooks.onCheckpoint?.({ kind: 'latest', dir: this.latestDir, step: state.step });
  }

  private snapshot(): TrainingState {
    const state = this.state as TrainingState;
    return { ...state, elapsedSeconds: this.elapsed() };
  }

  private metadata(validation?: ValidationEntry): UNetMetadata {
    const config = this.config as TrainConfig;
    const state = this.state as TrainingState;
    return {
      format: METADATA_FORMAT,
      formatVersion: METADATA_VERSION,
      architecture: architectureOf(config),
      tile: { input: config.tile, output: config.outputTile, halo: config.halo },
      classNames: config.classNames,
      normalization: this.request.normalization ?? null,
      training: {
        step: state.step,
        dataHash: state.dataHash,
        configHash: state.configHash,
        backend: this.backend?.active ?? 'unknown',
        ...(validation ? { validation } : state.best ? { validation: state.best } : {}),
      },
      versions: softwareVersions(),
      createdAt: new Date().toISOString(),
    };
  }

  private elapsed(): number {
    return this.elapsedBefore + (this.sessionStart > 0 ? (performance.now() - this.sessionStart) / 1000 : 0);
  }

  private emitProgress(
    step: number,
    loss: number,
    learningRate: number,
    validation: { loss: number; iou: number } | undefined,
    stepTimes: number[],
    deadline: number,
    dataMs: number,
  ): void {
    const config = this.config as TrainConfig;
    const mean = stepTimes.reduce((a, b) => a + b, 0) / stepTimes.length / 1000;
    const tilesPerSecond = mean > 0 ? 1 / mean : 0;
    const elapsed = this.elapsed();
    const eta = Math.min((config.steps - step) * mean, Math.max(0, deadline - elapsed));
    this.hooks.onProgress?.({
      step,
      totalSteps: config.steps,
      loss,
      learningRate,
      ...(validation ? { validation } : {}),
      tilesPerSecond,
      etaSeconds: eta,
      elapsed,
      dataMs,
    });
  }

  private async finish(status: 'succeeded' | 'cancelled', stopReason?: TrainResult['stopReason']): Promise<TrainResult> {
    const state = this.state as TrainingState;
    if (state.step > 0 && this.savedStep !== state.step) await this.saveLatest();
    return this.result(status, stopReason);
  }

  private result(status: TrainStatus, stopReason?: TrainResult['stopReason'], error?: ErrorInfo): TrainResult {
    const state = this.state;
    return {
      status,
      ...(error ? { error } : {}),
      ...(stopReason && status === 'succeeded' ? { stopReason } : {}),
      // Without validation data the latest weights are the best we know.
      bestCheckpoint: this.bestDir ?? (status === 'succeeded' ? this.latestDir : null),
      latestCheckpoint: this.latestDir,
      steps: state?.step ?? 0,
      metrics: { curve: state?.curve ?? [], validation: state?.validation ?? [], best: state?.best ?? null },
      ...(this.backend ? { backend: this.backend } : {}),
      ...(this.config ? { config: this.config } : {}),
      elapsedSeconds: this.elapsed(),
    };
  }

  failed(error: unknown): TrainResult {
    const info = toErrorInfo(error);
    const message = info.message ?? '';
    if (info.code === 'INTERNAL' && isOutOfMemoryMessage(message)) {
      info.code = 'OUT_OF_MEMORY';
    }
    return this.result('failed', undefined, info);
  }

  /** Tiles come from a worker thread, prepared while the previous step computes; inline where a worker cannot start. */
  private async openBatchSource(trainSet: PreparedSample[], config: TrainConfig): Promise<BatchSource> {
    if (config.prefetch) {
      try {
        return await workerBatchSource(trainSet, config);
      } catch (error) {
        // Bad training data fails the same way inline: report it rather than retry.
        if (error instanceof UnetError && error.code === 'INVALID_ARGUMENT') throw error;
        this.hooks.onLog?.('warn', `preparing tiles on the training thread: the tile worker could not start (${(error as Error).message})`);
      }
    }
    return inlineBatchSource(trainSet, config);
  }

  async dispose(): Promise<void> {
    await this.batches?.dispose();
    await this.engine?.dispose();
    this.model?.dispose();
  }
}

/** The dropout masks draw from their own stream, apart from the tiles (which may be drawn on another thread). */
const DROPOUT_SEED = 0x6a09e667;

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
