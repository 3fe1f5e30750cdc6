import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';
import type { RunStatus, Split } from '../../src-shared/contract/records';
import type { RunsChanged } from '../../src-shared/contract/runs';
import type { TrainingBackend } from '../../src-shared/contract/system';
import type { TrainConfig } from '../engine/train-config';
import type { TrainResult, TrainingSample as EngineSample } from '../engine/trainer';
import type { JobContext } from '../jobs/job-manager';
import type { Workspace } from '../store/workspace';
import { calibrateModelFolder, type ModelCalibration } from './calibrate-run-model';
import { describeCalibrationImages } from './instance-calibration';
import { outOfMemoryAdvice } from './memory-advice';
import { recordUnreportedCheckpoint, resumePoint } from './resume-point';
import { runCheckpointsDir, runModelDir } from './run-model';
import { writeFinalModel } from './run-model-files';
import { runVersions } from '../engine/versions';
import type { PlannedItem, TrainingImage } from './training-images';
import type { RecordedConfig, StartedTraining, TrainingOutcome, TrainingPipelineDeps } from './training-pipeline';
import { engineCallbacks } from './training-progress';

/** A run about to be recorded and trained: a new one, or the continuation of one (resume). */
export interface LaunchSpec {
  datasetId: number;
  name?: string;
  recorded: RecordedConfig;
  members: PlannedItem[];
  samples: { train: TrainingImage[]; validation: TrainingImage[] };
  device: { backend: TrainingBackend; device: string };
  resume?: { runId: number; checkpointDir: string };
  /** A model folder whose weights a new run starts from (fine-tuning). */
  initFrom?: string;
}

/** Records the run (queued) and starts its training job; the job's end sets the run's final status. */
export function launch(deps: TrainingPipelineDeps, ws: Workspace, spec: LaunchSpec): StartedTraining {
  const store = deps.context;
  const { appVersion, tfjsVersion, versions } = runVersions();
  const run = ws.runs.create({
    datasetId: spec.datasetId,
    name: spec.name,
    config: spec.recorded as unknown as Record<string, unknown>,
    seed: spec.recorded.seed,
    backend: spec.device.backend,
    device: spec.device.device,
    appVersion,
    tfjsVersion,
    versions,
    images: spec.members.map((m) => ({ imageId: m.imageId, split: m.split as Split, annotationVersionId: m.annotationVersionId })),
    resumedFrom: spec.resume?.runId ?? null,
    status: 'queued',
  });
  const runId = run.id;
  const changed = (status: RunStatus) => store.bus.emit('runs.changed', { id: runId, status, reason: 'updated' } satisfies RunsChanged);
  changed('queued');
  const job = store.jobs.start({
    kind: 'training',
    title: `Train ${run.name} on ${run.datasetName}`,
    run: (jobCtx) => trainJob(deps, ws, runId, spec, jobCtx, () => changed('running')),
    onFinished: (info) => {
      const status: RunStatus = info.status === 'succeeded' ? 'succeeded' : info.status === 'cancelled' ? 'cancelled' : info.status === 'interrupted' ? 'interrupted' : 'failed';
      try {
        if (ws.isOpen) ws.runs.setStatus(runId, status, status === 'succeeded' || status === 'cancelled' ? null : (info.error ?? null));
        changed(status);
      } catch (error) {
        store.logger.error(`recording the end of run ${runId} failed: ${(error as Error).message}`, 'training');
      }
    },
  });
  return { job, runId };
}

async function trainJob(deps: TrainingPipelineDeps, ws: Workspace, runId: number, spec: LaunchSpec, job: JobContext<'training'>, onRunning: () => void): Promise<TrainingOutcome> {
  const { recorded } = spec;
  job.throwIfCancelled();
  ws.runs.setStatus(runId, 'running');
  onRunning();
  job.progress(0, spec.resume ? `resuming run ${spec.resume.runId}` : 'starting the training engine');
  const { hooks, started } = engineCallbacks({ runId, ws, job, store: deps.context, compute: deps.compute, recorded, expectedBackend: spec.device.backend });
  const engineSamples = (list: TrainingImage[]): EngineSample[] =>
    list.map((s) => ({ id: String(s.imageId), image: s.image, width: s.width, height: s.height, channels: 1, classMap: s.classMap, instanceMap: s.instanceMap }));
  const session = deps.startEngine(
    {
      config: recorded,
      train: engineSamples(spec.samples.train),
      validation: engineSamples(spec.samples.validation),
      outDir: runCheckpointsDir(ws, runId),
      ...(spec.resume ? { resumeFrom: spec.resume.checkpointDir } : {}),
      ...(spec.initFrom && !spec.resume ? { initFrom: spec.initFrom } : {}),
    },
    hooks,
  );
  const cancel = () => session.cancel();
  job.signal.addEventListener('abort', cancel, { once: true });
  let result: TrainResult;
  try {
    result = await session.done;
  } finally {
    job.signal.removeEventListener('abort', cancel);
  }
  const backend = started.backend ?? spec.device.backend;
  // The engine may have died between writing a checkpoint and reporting it.
  if (result.status === 'interrupted' && ws.isOpen) {
    const latest = await recordUnreportedCheckpoint(ws, runId);
    if (latest && !result.latestCheckpoint) result = { ...result, latestCheckpoint: latest };
  }
  if (result.status === 'failed') throw trainingFailure(result, runId, started.config, backend);
  // Cancelled and finished runs both keep a usable model: the best checkpoint, else the latest.
  const checkpoint = result.bestCheckpoint ?? result.latestCheckpoint;
  let modelDir: string | null = null;
  if (checkpoint) {
    job.progress(99, 'exporting the model (ONNX)');
    modelDir = (await writeFinalModel(checkpoint, runModelDir(ws, runId), recorded.normalization)).modelDir;
  }
  if (result.status === 'cancelled') throw new UnetError('CANCELLED', `training stopped at step ${result.steps}`, { runId, step: result.steps });
  if (result.status === 'interrupted') throw await interruption(ws, runId, result, started.config, backend);
  const calibration = modelDir ? await calibrateAfterTraining(deps, runId, modelDir, spec, job) : undefined;
  return {
    runId,
    steps: result.steps,
    ...(result.stopReason ? { stopReason: result.stopReason } : {}),
    best: result.metrics.best,
    modelDir,
    elapsedSeconds: result.elapsedSeconds,
    ...(started.backend ? { backend: started.backend } : {}),
    ...(calibration ? { calibration } : {}),
  };
}

/** The error a failed run ends with; running out of memory says what to change. */
function trainingFailure(result: TrainResult, runId: number, config: TrainConfig, backend: TrainingBackend): UnetError {
  const error = result.error ?? toErrorInfo(new Error('training failed'));
  if (error.code !== 'OUT_OF_MEMORY') return new UnetError(error.code, error.message, error.details);
  const advice = outOfMemoryAdvice(config, backend);
  return new UnetError(
    'OUT_OF_MEMORY',
    `training ran out of memory at step ${result.steps + 1} with tile ${config.tile} on the ${backend} backend: ${error.message}. ${advice.text}`,
    { ...error.details, runId, tile: config.tile, suggestedTile: advice.tile },
  );
}

/**
 * A step of the pipeline after the trainer returns: the instance post-processing is chosen on the
 * run's validation images (and training images beside them) and stored with the model. A failure here costs the calibration, not the run.
 */
async function calibrateAfterTraining(deps: TrainingPipelineDeps, runId: number, modelDir: string, spec: LaunchSpec, job: JobContext<'training'>): Promise<Omit<ModelCalibration, 'notes'> | undefined> {
  const { logger } = deps.context;
  try {
    job.progress(99, 'calibrating the instance post-processing');
    const calibration = await calibrateModelFolder(modelDir, spec.samples, { metric: spec.recorded.calibrationMetric, signal: job.signal, onProgress: (message) => job.progress(99, message) });
    for (const note of calibration.notes) logger.info(`run ${runId}: ${note}`, 'training');
    const chosen = calibration.instances;
    if (chosen) logger.info(`run ${runId}: instance post-processing ${JSON.stringify(chosen.options)}: ${chosen.metric} ${chosen.score.toFixed(3)} on ${describeCalibrationImages(chosen)} (the model's default: ${chosen.defaultScore.toFixed(3)})`, 'training');
    if (calibration.trainingNoise) logger.info(`run ${runId}: training images' noise level ${calibration.trainingNoise.sigma.toFixed(4)} (clearly noisier images are smoothed down to it when segmented)`, 'training');
    return { instances: calibration.instances, baseline: calibration.baseline, trainingNoise: calibration.trainingNoise };
  } catch (error) {
    if (error instanceof UnetError && error.code === 'CANCELLED') throw error;
    logger.warn(`run ${runId}: calibrating the instance post-processing failed (${(error as Error).message}); the model keeps plain connected components`, 'training');
    return undefined;
  }
}

/**
 * The engine process died without reporting (killed, crashed, out of memory): the job ends
 * 'interrupted' with why, and where a resume would continue from.
 */
async function interruption(ws: Workspace, runId: number, result: TrainResult, config: TrainConfig, backend: TrainingBackend): Promise<UnetError> {
  const cause = result.error ?? { code: 'INTERNAL' as const, message: 'the engine process ended without reporting' };
  const checkpoint = ws.isOpen ? await resumePoint(ws, runId) : null;
  const resume = checkpoint ? `Resume the run to continue from the checkpoint at step ${checkpoint.step}.` : 'It saved no checkpoint: start it again.';
  const memory = cause.code === 'OUT_OF_MEMORY' ? ` If memory ran out: ${outOfMemoryAdvice(config, backend).text}` : '';
  return new UnetError(cause.code, `training was interrupted at step ${result.steps}: ${cause.message}. ${resume}${memory}`, {
    ...cause.details,
    runId,
    interrupted: true,
    step: result.steps,
    checkpointStep: checkpoint?.step ?? null,
  });
}
