import os from 'node:os';
import path from 'node:path';
import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { RunStatus, Split } from '../../src-shared/contract/records';
import type { RunsChanged } from '../../src-shared/contract/runs';
import type { TrainingBackend } from '../../src-shared/contract/system';
import { recordedPlane, type ImagePlane } from '../../src-shared/imaging/image-plane';
import { backendCandidates, type BackendChoice, type TrainOptions, type TrainProgressInfo } from '../../src-shared/contract/training';
import { fitTileToBackend } from '../engine/memory-fit';
import type { TrainConfig, TrainConfigInput } from '../engine/train-config';
import { resolveTrainConfig } from '../engine/train-config';
import type { TrainResult, TrainingSample as EngineSample } from '../engine/trainer';
import type { JobContext } from '../jobs/job-manager';
import type { StoreContext } from '../store/store-context';
import type { Workspace } from '../store/workspace';
import { calibrateModelFolder, type ModelCalibration } from './calibrate-run-model';
import { latestCheckpointOnDisk } from './checkpoint-on-disk';
import type { ComputeReporter } from './compute-report';
import type { StartEngineTraining } from './engine-training';
import { outOfMemoryAdvice } from './memory-advice';
import { runCheckpointsDir, runModelDir } from './run-model';
import { writeFinalModel } from './run-model-files';
import { runVersions } from './software-versions';
import { AUTO_VALIDATION_FRACTION } from './split-rule';
import { loadTrainingData, planTraining, type PlannedItem, type RunNormalization, type TrainingSample } from './training-data';

export interface TrainingPipelineDeps {
  store: StoreContext;
  compute: ComputeReporter;
  startEngine: StartEngineTraining;
}

export interface StartedTraining {
  job: JobInfo;
  runId: number;
}

/** What a training job returns when it ends normally. */
export interface TrainingOutcome {
  runId: number;
  steps: number;
  stopReason?: 'steps' | 'time';
  best: { step: number; loss: number; iou: number } | null;
  modelDir: string | null;
  elapsedSeconds: number;
  backend?: TrainingBackend;
  /** The instance post-processing and Otsu polarity chosen after training and stored with the model. */
  calibration?: Omit<ModelCalibration, 'notes'>;
}

/** The configuration recorded with a run: the engine's resolved config plus what the pipeline decided. */
export type RecordedConfig = TrainConfig & {
  normalization: RunNormalization;
  /** How the split was made; the images of each part are the run's membership. */
  split: { automatic: boolean; train: number; validation: number; seed?: number; validationFraction?: number };
  /** The plane of the images it trained on (runs recorded before planes could be chosen have none: the first). */
  plane: ImagePlane;
};

/** The user's options in the engine's terms; the data set decides the classes. */
function configInput(options: TrainOptions, classNames: string[]): TrainConfigInput {
  const { elastic, normalization: _normalization, ...rest } = options;
  return { ...rest, numClasses: classNames.length, classNames, inChannels: 1, ...(elastic === undefined ? {} : { augmentation: { elastic } }) };
}

/**
 * training.start: plans the split and checks the data (clear errors before anything runs), reads and
 * normalises the images, records the run (data set, split, annotation versions, resolved config,
 * seed, backend, device, versions), then trains in the engine as a job.
 */
export async function startTrainingRun(deps: TrainingPipelineDeps, request: { datasetId: number; name?: string; options: TrainOptions }): Promise<StartedTraining> {
  const ws = deps.store.workspace.store;
  const seed = request.options.seed ?? 1;
  const plan = planTraining(ws, request.datasetId, seed);
  const input = configInput({ ...request.options, seed }, plan.classNames);
  const resolved = resolveTrainConfig(input, { numClasses: plan.numClasses, inChannels: 1 });
  const device = await expectedBackend(deps.compute, resolved.backend);
  // A tile too large for the wasm heap is shrunk now (a network that fits no tile is refused), so the
  // run records the tile it really trains with and nothing is loaded for a run that cannot start.
  const config = fitTileToBackend(resolved, device.backend, (message) => deps.store.logger.warn(message, 'training'));
  const data = await loadTrainingData(ws, plan, undefined, request.options.normalization ?? 'dataset');
  const split: RecordedConfig['split'] = {
    automatic: plan.automaticSplit,
    train: plan.train.length,
    validation: plan.validation.length,
    ...(plan.automaticSplit ? { seed, validationFraction: AUTO_VALIDATION_FRACTION } : {}),
  };
  const recorded: RecordedConfig = { ...config, normalization: data.normalization, split, plane: plan.plane };
  return launch(deps, ws, {
    datasetId: request.datasetId,
    name: request.name,
    recorded,
    members: [...plan.train, ...plan.validation],
    samples: data,
    device,
  });
}

/**
 * training.resume: continues an interrupted or cancelled run from its latest checkpoint as a new run
 * (resumedFrom), with the same configuration, normalisation and exact annotation versions.
 */
export async function resumeTrainingRun(deps: TrainingPipelineDeps, runId: number): Promise<StartedTraining> {
  const ws = deps.store.workspace.store;
  const previous = ws.runs.get(runId);
  if (previous.status !== 'interrupted' && previous.status !== 'cancelled' && previous.status !== 'failed') {
    throw new UnetError('CONFLICT', `run ${runId} is ${previous.status}; only interrupted, cancelled or failed runs can be resumed`, { runId });
  }
  const from = await checkpointToResume(ws, runId);
  const recorded = previous.config as unknown as RecordedConfig;
  if (!recorded.normalization) throw new UnetError('UNSUPPORTED', `run ${runId} has no recorded normalisation; start a new run instead`, { runId });
  const members: PlannedItem[] = previous.images
    .filter((m): m is typeof m & { split: 'train' | 'validation'; annotationVersionId: number } => (m.split === 'train' || m.split === 'validation') && m.annotationVersionId !== null)
    .map((m) => {
      const image = ws.images.get(m.imageId);
      return { imageId: m.imageId, name: image.name, path: image.path, width: image.width, height: image.height, split: m.split, annotationVersionId: m.annotationVersionId, annotationVersion: m.annotationVersion ?? 0 };
    });
  const plan = { train: members.filter((m) => m.split === 'train'), validation: members.filter((m) => m.split === 'validation'), plane: recordedPlane(previous.config) };
  const data = await loadTrainingData(ws, plan, undefined, recorded.normalization);
  const device = await expectedBackend(deps.compute, recorded.backend);
  return launch(deps, ws, {
    datasetId: previous.datasetId,
    name: `${previous.name} (resumed)`.slice(0, 200),
    recorded,
    members,
    samples: data,
    device,
    resume: { runId, checkpointDir: runCheckpointsDir(ws, from) },
  });
}

/**
 * The run whose checkpoint a resume continues from: the run itself, or, when it was itself a resume
 * that ended before its first checkpoint (killed while starting), the nearest run it continued.
 */
async function checkpointToResume(ws: Workspace, runId: number): Promise<number> {
  const found = await resumableCheckpoint(ws, runId);
  if (!found) throw new UnetError('NOT_FOUND', `run ${runId} saved no checkpoint to resume from; start it again`, { runId });
  return found.runId;
}

/** What the engine will load: the checkpoint on disk, which after a kill may be ahead of the record. */
async function resumableCheckpoint(ws: Workspace, runId: number): Promise<{ runId: number; step: number } | null> {
  const seen = new Set<number>();
  for (let id: number | null = runId; id !== null && !seen.has(id); id = ws.runs.get(id).resumedFrom ?? null) {
    seen.add(id);
    const onDisk = await latestCheckpointOnDisk(runCheckpointsDir(ws, id));
    if (onDisk) return { runId: id, step: onDisk.step };
  }
  return null;
}

/** Records a checkpoint the engine wrote but did not live to report, so the record matches the disk. */
async function recordUnreportedCheckpoint(ws: Workspace, runId: number): Promise<string | null> {
  const onDisk = await latestCheckpointOnDisk(runCheckpointsDir(ws, runId));
  if (!onDisk) return null;
  const recorded = ws.runs.checkpoints(runId).filter((c) => path.resolve(c.path) === path.resolve(onDisk.dir));
  if (onDisk.step > Math.max(0, ...recorded.map((c) => c.step))) ws.runs.addCheckpoint(runId, { step: onDisk.step, path: onDisk.dir, metricName: null, metricValue: null });
  return onDisk.dir;
}

interface LaunchSpec {
  datasetId: number;
  name?: string;
  recorded: RecordedConfig;
  members: PlannedItem[];
  samples: { train: TrainingSample[]; validation: TrainingSample[] };
  device: { backend: TrainingBackend; device: string };
  resume?: { runId: number; checkpointDir: string };
}

function launch(deps: TrainingPipelineDeps, ws: Workspace, spec: LaunchSpec): StartedTraining {
  const { store } = deps;
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
  const job = store.jobs.start<TrainingOutcome>({
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

async function trainJob(deps: TrainingPipelineDeps, ws: Workspace, runId: number, spec: LaunchSpec, job: JobContext, onRunning: () => void): Promise<TrainingOutcome> {
  const { store, compute } = deps;
  const { recorded } = spec;
  job.throwIfCancelled();
  ws.runs.setStatus(runId, 'running');
  onRunning();
  job.progress(0, spec.resume ? `resuming run ${spec.resume.runId}` : 'starting the training engine');
  let backend: TrainingBackend | undefined;
  let engineConfig: TrainConfig = recorded;
  const engineSamples = (list: TrainingSample[]): EngineSample[] =>
    list.map((s) => ({ id: String(s.imageId), image: s.image, width: s.width, height: s.height, channels: 1, classMap: s.classMap, instanceMap: s.instanceMap }));
  const session = deps.startEngine(
    {
      config: recorded,
      train: engineSamples(spec.samples.train),
      validation: engineSamples(spec.samples.validation),
      outDir: runCheckpointsDir(ws, runId),
      ...(spec.resume ? { resumeFrom: spec.resume.checkpointDir } : {}),
    },
    {
      onStart: ({ backend: report, config, startStep }) => {
        backend = report.active;
        engineConfig = config;
        compute.noteActiveTraining(report.active, report.device);
        if (report.active !== spec.device.backend) store.logger.warn(`run ${runId} trains on ${report.active} (${report.device}), not ${spec.device.backend} as recorded at its start`, 'training');
        if (config.tile !== recorded.tile) store.logger.warn(`run ${runId}: the engine uses tile ${config.tile} instead of ${recorded.tile} to fit the backend's memory`, 'training');
        job.progress(0, `training on ${report.active} (${report.device}) from step ${startStep}`);
      },
      onProgress: (p) => {
        const metrics: Record<string, number> = { learningRate: p.learningRate, tilesPerSecond: p.tilesPerSecond };
        if (p.validation) Object.assign(metrics, { valLoss: p.validation.loss, iou: p.validation.iou });
        ws.runs.appendCurvePoint(runId, { step: p.step, loss: p.loss, metrics, elapsedMs: Math.round(p.elapsed * 1000) });
        const info: TrainProgressInfo = {
          runId,
          step: p.step,
          totalSteps: p.totalSteps,
          loss: p.loss,
          ...(p.validation ? { validation: p.validation } : {}),
          tilesPerSecond: p.tilesPerSecond,
          etaSeconds: p.etaSeconds,
          elapsedSeconds: p.elapsed,
          ...(backend ? { backend } : {}),
        };
        const byTime = recorded.minutes ? p.elapsed / (recorded.minutes * 60) : 0;
        const percent = 100 * Math.min(1, Math.max(p.step / p.totalSteps, byTime));
        const val = p.validation ? `, validation IoU ${p.validation.iou.toFixed(3)}` : '';
        job.progress(percent, `step ${p.step}/${p.totalSteps}, loss ${p.loss.toFixed(4)}${val}`, info as unknown as Record<string, unknown>);
        store.bus.emit('training.progress', info);
      },
      onCheckpoint: (c) => {
        ws.runs.addCheckpoint(runId, { step: c.step, path: c.dir, metricName: c.validation ? 'iou' : null, metricValue: c.validation?.iou ?? null });
      },
      onLog: (level, message) => store.logger.log(level, `run ${runId}: ${message}`, 'training'),
    },
  );
  const cancel = () => session.cancel();
  job.signal.addEventListener('abort', cancel, { once: true });
  let result: TrainResult;
  try {
    result = await session.done;
  } finally {
    job.signal.removeEventListener('abort', cancel);
  }
  // The engine may have died between writing a checkpoint and reporting it.
  if (result.status === 'interrupted' && ws.isOpen) {
    const latest = await recordUnreportedCheckpoint(ws, runId);
    if (latest && !result.latestCheckpoint) result = { ...result, latestCheckpoint: latest };
  }
  if (result.status === 'failed') {
    const error = result.error ?? toErrorInfo(new Error('training failed'));
    if (error.code !== 'OUT_OF_MEMORY') throw new UnetError(error.code, error.message, error.details);
    const advice = outOfMemoryAdvice(engineConfig, backend ?? spec.device.backend);
    throw new UnetError(
      'OUT_OF_MEMORY',
      `training ran out of memory at step ${result.steps + 1} with tile ${engineConfig.tile} on the ${backend ?? spec.device.backend} backend: ${error.message}. ${advice.text}`,
      { ...error.details, runId, tile: engineConfig.tile, suggestedTile: advice.tile },
    );
  }
  // Cancelled and finished runs both keep a usable model: the best checkpoint, else the latest.
  const checkpoint = result.bestCheckpoint ?? result.latestCheckpoint;
  let modelDir: string | null = null;
  if (checkpoint) {
    job.progress(99, 'exporting the model (ONNX)');
    // A per-image normalisation is what inference does when a model records none.
    const fixed = recorded.normalization.kind === 'percentile' ? recorded.normalization : null;
    modelDir = (await writeFinalModel(checkpoint, runModelDir(ws, runId), fixed)).modelDir;
  }
  if (result.status === 'cancelled') throw new UnetError('CANCELLED', `training stopped at step ${result.steps}`, { runId, step: result.steps });
  if (result.status === 'interrupted') throw await interruption(ws, runId, result, engineConfig, backend ?? spec.device.backend);
  const calibration = modelDir ? await calibrateAfterTraining(deps, runId, modelDir, spec, job) : undefined;
  return {
    runId,
    steps: result.steps,
    ...(result.stopReason ? { stopReason: result.stopReason } : {}),
    best: result.metrics.best,
    modelDir,
    elapsedSeconds: result.elapsedSeconds,
    ...(backend ? { backend } : {}),
    ...(calibration ? { calibration } : {}),
  };
}

/**
 * A step of the pipeline after the trainer returns: the instance post-processing is chosen on the
 * run's validation images and stored with the model. A failure here costs the calibration, not the run.
 */
async function calibrateAfterTraining(deps: TrainingPipelineDeps, runId: number, modelDir: string, spec: LaunchSpec, job: JobContext): Promise<Omit<ModelCalibration, 'notes'> | undefined> {
  const { logger } = deps.store;
  try {
    job.progress(99, 'calibrating the instance post-processing on the validation images');
    const calibration = await calibrateModelFolder(modelDir, spec.samples, { signal: job.signal, onProgress: (message) => job.progress(99, message) });
    for (const note of calibration.notes) logger.info(`run ${runId}: ${note}`, 'training');
    const chosen = calibration.instances;
    if (chosen) logger.info(`run ${runId}: instance post-processing ${JSON.stringify(chosen.options)}: ${chosen.metric} ${chosen.score.toFixed(3)} on ${chosen.images} validation image(s) (connected components: ${chosen.defaultScore.toFixed(3)})`, 'training');
    return { instances: calibration.instances, baseline: calibration.baseline };
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
  const checkpoint = ws.isOpen ? await resumableCheckpoint(ws, runId) : null;
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

/**
 * The backend a run will most likely use, for its record; a forced backend that the doctor already
 * knows to be unavailable is refused now rather than after the data is loaded into the engine.
 */
async function expectedBackend(compute: ComputeReporter, choice: BackendChoice): Promise<{ backend: TrainingBackend; device: string }> {
  const report = await compute.report();
  if (choice === 'auto') return { backend: report.training.active, device: report.training.device };
  const candidates = backendCandidates(choice);
  const usable = candidates.filter((b) => report.training.attempts.find((a) => a.backend === b)?.available !== false);
  const wanted = usable[0];
  if (!wanted) {
    const reasons = candidates.map((b) => `${b}: ${report.training.attempts.find((a) => a.backend === b)?.reason ?? 'unknown reason'}`).join('; ');
    throw new UnetError('BACKEND_UNAVAILABLE', `the ${choice} backend is not available: ${reasons}`, { backend: candidates[0] });
  }
  const cpus = os.cpus();
  const onGpu = wanted === 'tensorflow-gpu' || wanted === 'onnxruntime-cuda';
  const device = onGpu ? (report.gpus[0]?.name ?? 'NVIDIA GPU') : `CPU: ${cpus.length} cores (${cpus[0]?.model?.trim() || 'unknown model'})`;
  return { backend: wanted, device };
}
