import { startTraining, type TrainingCallbacks } from '../engine/engine-client';
import type { TrainRequest, TrainResult } from '../engine/trainer';

/** A training run in the engine: its outcome, and a way to stop it (the latest checkpoint is kept). */
export interface EngineTrainingSession {
  done: Promise<TrainResult>;
  cancel(): void;
}

export type EngineTrainingHooks = TrainingCallbacks;

/** Starts training; the pipeline depends on this signature only, not on where the engine runs. */
export type StartEngineTraining = (request: TrainRequest, hooks: EngineTrainingHooks) => EngineTrainingSession;

/** Training in the engine process (a crash or an out-of-memory kill ends the job, not the app). */
export const startTrainingInEngineProcess: StartEngineTraining = (request, hooks) => startTraining(request, hooks);
