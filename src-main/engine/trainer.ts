import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { NormalizationParams } from '../../src-shared/imaging/normalization';
import type { BackendReport } from './backend';
import type { CurveEntry, SavedCheckpoint, ValidationEntry } from './checkpoint';
import { OwnedResources } from './owned-resources';
import type { TrainConfig, TrainConfigInput } from './train-config';
import { failureInfo, trainResult, type RunSoFar } from './train-result';
import type { TrainingSample } from './training-data';
import { TrainingLoop } from './training-loop';
import { setupTraining, type TrainingSetup } from './training-setup';

export type { TrainingSample } from './training-data';

export interface TrainRequest {
  config: TrainConfigInput;
  train: TrainingSample[];
  validation: TrainingSample[];
  /** Run folder: checkpoints go to `latest/` and `best/` inside it. */
  outDir: string;
  /** A checkpoint folder (or a run folder with `latest/`) to continue from. */
  resumeFrom?: string;
  /** A model folder whose weights a new run starts from (fine-tuning); ignored when resuming. */
  initFrom?: string;
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
  const owned = new OwnedResources();
  // What a run that fails before its first step can still report.
  const soFar: RunSoFar = { latestDir: null, bestDir: null, elapsedSeconds: 0 };
  try {
    let setup: TrainingSetup;
    try {
      setup = await setupTraining(request, hooks, owned, soFar);
    } catch (error) {
      return trainResult('failed', soFar, undefined, failureInfo(error));
    }
    return await new TrainingLoop(request, hooks, setup).run();
  } finally {
    await owned.releaseAll();
  }
}
