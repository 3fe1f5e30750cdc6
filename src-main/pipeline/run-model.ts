import { existsSync } from 'node:fs';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { CheckpointRecord } from '../../src-shared/contract/records';
import type { Workspace } from '../store/workspace';

/**
 * Where a run keeps its files in the workspace:
 *   models/run-N/checkpoints/step-S/   checkpoints as training writes them
 *   models/run-N/model/                the run's final model (best checkpoint) with model.onnx
 *   predictions/run-N/                 what its model predicted for data set images
 */
export function runFolder(ws: Workspace, runId: number): string {
  return path.join(ws.modelsDir, `run-${runId}`);
}

export function runCheckpointsDir(ws: Workspace, runId: number): string {
  return path.join(runFolder(ws, runId), 'checkpoints');
}

export function runModelDir(ws: Workspace, runId: number): string {
  return path.join(runFolder(ws, runId), 'model');
}

export function runPredictionsDir(ws: Workspace, runId: number): string {
  return path.join(ws.path, 'predictions', `run-${runId}`);
}

export const ONNX_FILE = 'model.onnx';

/** The best checkpoint: highest validation metric where recorded, else the latest. */
export function bestCheckpoint(checkpoints: CheckpointRecord[]): CheckpointRecord | null {
  const present = checkpoints.filter((c) => existsSync(c.path));
  const scored = present.filter((c) => c.metricValue !== null);
  if (scored.length > 0) return scored.reduce((a, b) => ((b.metricValue as number) > (a.metricValue as number) || ((b.metricValue as number) === (a.metricValue as number) && b.step > a.step) ? b : a));
  return present.reduce<CheckpointRecord | null>((a, b) => (!a || b.step > a.step ? b : a), null);
}

/** The model folder to segment with: the run's final model, else its best checkpoint. */
export function resolveRunModel(ws: Workspace, runId: number): string {
  const run = ws.runs.summary(runId);
  const final = runModelDir(ws, runId);
  if (existsSync(path.join(final, 'unet.json'))) return final;
  const best = bestCheckpoint(ws.runs.checkpoints(runId));
  if (best) return best.path;
  throw new UnetError('NOT_FOUND', `run ${runId} (${run.name}, ${run.status}) has no trained model yet`, { runId });
}
