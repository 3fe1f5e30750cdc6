import { stat } from 'node:fs/promises';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../src-shared/contract/errors';
import { loadModelFolder, readBytes, readJson, saveModelFolder, type UNetMetadata } from './model-files';
import { decodeOptimizerState, encodeOptimizerState, type OptimizerState } from './optimizer';

export const LATEST = 'latest';
export const BEST = 'best';
const OPTIMIZER_JSON = 'optimizer.json';
const OPTIMIZER_BIN = 'optimizer.bin';
const STATE_JSON = 'training-state.json';

export interface CurveEntry {
  step: number;
  loss: number;
}

export interface ValidationEntry {
  step: number;
  loss: number;
  iou: number;
}

/** Where a run stands: enough, with the weights and optimizer slots, to continue it exactly. */
export interface TrainingState {
  step: number;
  seed: number;
  configHash: string;
  dataHash: string;
  elapsedSeconds: number;
  curve: CurveEntry[];
  validation: ValidationEntry[];
  best: ValidationEntry | null;
}

export interface SavedCheckpoint {
  kind: 'latest' | 'best';
  dir: string;
  step: number;
}

/** Writes a checkpoint folder atomically: the model folder plus optimizer slots and the run state. */
export async function writeCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  metadata: UNetMetadata,
  state: TrainingState,
  optimizer: OptimizerState | null,
): Promise<void> {
  const extra: Record<string, Uint8Array | object> = { [STATE_JSON]: state };
  if (optimizer) {
    const encoded = encodeOptimizerState(optimizer);
    extra[OPTIMIZER_JSON] = encoded.manifest;
    extra[OPTIMIZER_BIN] = encoded.data;
  }
  await saveModelFolder(dir, model, metadata, extra);
}

export interface LoadedCheckpoint {
  dir: string;
  model: tfl.LayersModel;
  metadata: UNetMetadata;
  state: TrainingState;
  optimizer: OptimizerState | null;
}

/** Accepts a checkpoint folder or a run folder holding `latest/`. */
export async function resolveCheckpointDir(from: string): Promise<string> {
  const isDir = async (p: string) => (await stat(p).catch(() => null))?.isDirectory() ?? false;
  const isFile = async (p: string) => (await stat(p).catch(() => null))?.isFile() ?? false;
  if (await isFile(path.join(from, 'unet.json'))) return from;
  if (await isDir(path.join(from, LATEST))) return path.join(from, LATEST);
  throw new UnetError('NOT_FOUND', `no checkpoint to resume from in ${from}`, { path: from });
}

export async function readCheckpoint(from: string): Promise<LoadedCheckpoint> {
  const dir = await resolveCheckpointDir(from);
  const { model, metadata } = await loadModelFolder(dir);
  const state = (await readJson(path.join(dir, STATE_JSON))) as unknown as TrainingState;
  if (typeof state.step !== 'number' || !Array.isArray(state.curve)) {
    model.dispose();
    throw new UnetError('CORRUPT', `${path.join(dir, STATE_JSON)} is malformed`, { dir });
  }
  let optimizer: OptimizerState | null = null;
  const hasOptimizer = (await stat(path.join(dir, OPTIMIZER_JSON)).catch(() => null)) !== null;
  if (hasOptimizer) {
    optimizer = decodeOptimizerState(await readJson(path.join(dir, OPTIMIZER_JSON)), await readBytes(path.join(dir, OPTIMIZER_BIN)));
  }
  return { dir, model, metadata, state, optimizer };
}
