import type { TrainingBackend } from '../../src-shared/contract/system';
import type { TrainProgressInfo } from '../../src-shared/contract/training';
import type { TrainConfig } from '../engine/train-config';
import type { TrainProgress } from '../engine/trainer';
import type { JobContext } from '../jobs/job-manager';
import type { NewCurvePoint } from '../store/runs-repository';
import type { WorkspaceContext } from './workspace-context';
import type { Workspace } from '../store/workspace';
import type { ComputeReporter } from './compute-report';
import type { EngineTrainingHooks } from './engine-training';

/** What the engine reported at its start: the backend it really uses and its config after fitting the tile. */
export interface EngineStart {
  backend?: TrainingBackend;
  config: TrainConfig;
}

/** Where a run's engine reports go: the record, the job, the event bus and the log. */
export interface ProgressTarget {
  runId: number;
  ws: Workspace;
  job: JobContext<'training'>;
  store: WorkspaceContext;
  compute: ComputeReporter;
  /** The configuration recorded at the start, and the backend expected then. */
  recorded: TrainConfig;
  expectedBackend: TrainingBackend;
}

/**
 * The engine's callbacks for one run: curve points and checkpoints into the record, progress to the
 * job and to `training.progress`. `started` fills in when the engine reports its start.
 */
export function engineCallbacks(target: ProgressTarget): { hooks: EngineTrainingHooks; started: EngineStart } {
  const { runId, ws, job, store, compute, recorded, expectedBackend } = target;
  const started: EngineStart = { config: recorded };
  const hooks: EngineTrainingHooks = {
    onStart: ({ backend: report, config, startStep }) => {
      started.backend = report.active;
      started.config = config;
      compute.noteActiveTraining(report.active, report.device);
      if (report.active !== expectedBackend) store.logger.warn(`run ${runId} trains on ${report.active} (${report.device}), not ${expectedBackend} as recorded at its start`, 'training');
      if (config.tile !== recorded.tile) store.logger.warn(`run ${runId}: the engine uses tile ${config.tile} instead of ${recorded.tile} to fit the backend's memory`, 'training');
      job.progress(0, `training on ${report.active} (${report.device}) from step ${startStep}`);
    },
    onProgress: (p) => {
      ws.runs.appendCurvePoint(runId, curvePoint(p));
      const info = progressInfo(runId, p, started.backend);
      job.progress(progressPercent(p, recorded.minutes), progressMessage(p), info);
      store.bus.emit('training.progress', info);
    },
    onCheckpoint: (c) => {
      ws.runs.addCheckpoint(runId, { step: c.step, path: c.dir, metricName: c.validation ? 'iou' : null, metricValue: c.validation?.iou ?? null });
    },
    onLog: (level, message) => store.logger.log(level, `run ${runId}: ${message}`, 'training'),
  };
  return { hooks, started };
}

/** A step's loss, validation and speed as recorded on the run's curve. */
export function curvePoint(p: TrainProgress): NewCurvePoint {
  const metrics: Record<string, number> = { learningRate: p.learningRate, tilesPerSecond: p.tilesPerSecond };
  if (p.validation) Object.assign(metrics, { valLoss: p.validation.loss, iou: p.validation.iou });
  return { step: p.step, loss: p.loss, metrics, elapsedMs: Math.round(p.elapsed * 1000) };
}

/** A step as the `training.progress` event and the job's live data report it. */
export function progressInfo(runId: number, p: TrainProgress, backend: TrainingBackend | undefined): TrainProgressInfo {
  return {
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
}

/** The job's percentage: steps done, or time spent of a time budget, whichever is further. */
export function progressPercent(p: TrainProgress, minutes: number | undefined): number {
  const byTime = minutes ? p.elapsed / (minutes * 60) : 0;
  return 100 * Math.min(1, Math.max(p.step / p.totalSteps, byTime));
}

export function progressMessage(p: TrainProgress): string {
  const val = p.validation ? `, validation IoU ${p.validation.iou.toFixed(3)}` : '';
  return `step ${p.step}/${p.totalSteps}, loss ${p.loss.toFixed(4)}${val}`;
}
