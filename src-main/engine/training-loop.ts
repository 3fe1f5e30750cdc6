import path from 'node:path';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import { BEST, LATEST, writeCheckpoint, type TrainingState, type ValidationEntry } from './checkpoint';
import { stepRng } from './batch-source';
import { checkFiniteLoss } from './loss';
import { METADATA_FORMAT, METADATA_VERSION, type UNetMetadata } from './model-files';
import { budgetProgress, learningRateAt } from './lr-schedule';
import { architectureOf, borderClassOf } from './train-config';
import { failureInfo, trainResult } from './train-result';
import type { TrainHooks, TrainRequest, TrainResult, TrainStatus } from './trainer';
import type { PreparedSample } from './training-data';
import type { TrainingSetup } from './training-setup';
import { evaluate } from './validation';
import { VALIDATION_TIME_SHARE, ValidationCadence } from './validation-cadence';
import { softwareVersions } from './versions';

/** The dropout masks draw from their own stream, apart from the tiles (which may be drawn on another thread). */
const DROPOUT_SEED = 0x6a09e667;

/** The steps of a set-up run, with validation, checkpoints and progress; run() never throws. */
export class TrainingLoop {
  private latestDir: string | null;
  private bestDir: string | null;
  /** Step of the latest checkpoint on disk in outDir (-1: none yet). */
  private savedStep: number;
  private sessionStart = 0;

  constructor(
    private readonly request: TrainRequest,
    private readonly hooks: TrainHooks,
    private readonly setup: TrainingSetup,
  ) {
    this.latestDir = setup.latestDir;
    this.bestDir = setup.bestDir;
    this.savedStep = setup.savedStep;
  }

  async run(): Promise<TrainResult> {
    try {
      return await this.loop();
    } catch (error) {
      return this.result('failed', undefined, failureInfo(error));
    }
  }

  private async loop(): Promise<TrainResult> {
    const { hooks } = this;
    const { config, backend, engine, batches, valSet, state, startStep } = this.setup;
    hooks.onStart?.({ backend, config, startStep });
    this.sessionStart = performance.now();
    const stepTimes: number[] = [];
    const deadline = config.minutes !== undefined ? config.minutes * 60 : Infinity;
    let lastValidated = state.validation.length > 0 ? state.validation[state.validation.length - 1].step : -1;
    let stopReason: TrainResult['stopReason'] = 'steps';
    const cadence = new ValidationCadence(config.validateEvery, config.minutes !== undefined ? VALIDATION_TIME_SHARE : null);

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
      const stepMs = performance.now() - t0;
      stepTimes.push(stepMs);
      if (stepTimes.length > 20) stepTimes.shift();
      cadence.trained(stepMs / 1000);

      const overheadStart = performance.now();
      const validateNow = valSet.length > 0 && (step === config.steps || cadence.due(step));
      let validation: { loss: number; iou: number } | undefined;
      if (validateNow) {
        validation = await this.validate(valSet, step);
        lastValidated = step;
      }
      this.emitProgress(step, loss, lr, validation, stepTimes, deadline, dataMs);
      // Latest checkpoints keep pace with validation when they share its cadence (the preset's default).
      const checkpointDue = (valSet.length > 0 && config.checkpointEvery === config.validateEvery) ? validateNow : step % config.checkpointEvery === 0;
      if (checkpointDue || step === config.steps) await this.saveLatest();
      if (validateNow) cadence.validated((performance.now() - overheadStart) / 1000);
    }

    if (valSet.length > 0 && lastValidated !== state.step && state.step > startStep) await this.validate(valSet, state.step);
    return await this.finish('succeeded', stopReason);
  }

  private async validate(valSet: PreparedSample[], step: number): Promise<{ loss: number; iou: number }> {
    const { config, state, engine } = this.setup;
    const score = await evaluate(engine.predictor(), valSet, config.tile, config.depth, config.numClasses);
    const entry = { step, loss: score.loss, iou: score.iou };
    state.validation.push(entry);
    if (!state.best || isBetter(entry, state.best, config.keepBest)) {
      state.best = entry;
      this.bestDir = path.join(this.request.outDir, BEST);
      await engine.syncModel();
      await writeCheckpoint(this.bestDir, engine.model, this.metadata(entry), this.snapshot(), null);
      this.hooks.onCheckpoint?.({ kind: 'best', dir: this.bestDir, step, validation: score });
    }
    return score;
  }

  private async saveLatest(): Promise<void> {
    const { state, engine } = this.setup;
    this.latestDir = path.join(this.request.outDir, LATEST);
    const optimizerState = await engine.optimizerState();
    await engine.syncModel();
    await writeCheckpoint(this.latestDir, engine.model, this.metadata(), this.snapshot(), optimizerState);
    this.savedStep = state.step;
    this.hooks.onCheckpoint?.({ kind: 'latest', dir: this.latestDir, step: state.step });
  }

  private snapshot(): TrainingState {
    return { ...this.setup.state, elapsedSeconds: this.elapsed() };
  }

  private metadata(validation?: ValidationEntry): UNetMetadata {
    const { config, state, backend } = this.setup;
    return {
      format: METADATA_FORMAT,
      formatVersion: METADATA_VERSION,
      architecture: architectureOf(config),
      tile: { input: config.tile, output: config.outputTile, halo: config.halo },
      classNames: config.classNames,
      borderClass: borderClassOf(config),
      ...(config.upscale !== undefined && config.upscale !== 1 ? { upscale: config.upscale } : {}),
      normalization: this.request.normalization ?? null,
      training: {
        step: state.step,
        dataHash: state.dataHash,
        configHash: state.configHash,
        backend: backend.active,
        ...(validation ? { validation } : state.best ? { validation: state.best } : {}),
      },
      versions: softwareVersions(),
      createdAt: new Date().toISOString(),
    };
  }

  private elapsed(): number {
    return this.setup.elapsedBefore + (this.sessionStart > 0 ? (performance.now() - this.sessionStart) / 1000 : 0);
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
    const { config } = this.setup;
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
    const { state } = this.setup;
    if (state.step > 0 && this.savedStep !== state.step) await this.saveLatest();
    return this.result(status, stopReason);
  }

  private result(status: TrainStatus, stopReason?: TrainResult['stopReason'], error?: ErrorInfo): TrainResult {
    const { backend, config, state } = this.setup;
    return trainResult(status, { backend, config, state, latestDir: this.latestDir, bestDir: this.bestDir, elapsedSeconds: this.elapsed() }, stopReason, error);
  }
}

/** Whether a validation beats the kept one: a lower loss, or a higher IoU. */
function isBetter(entry: { loss: number; iou: number }, best: { loss: number; iou: number }, by: 'loss' | 'iou'): boolean {
  return by === 'loss' ? entry.loss < best.loss : entry.iou > best.iou;
}
