import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { GpuDoctorReport } from '../../../src-shared/contract/system';
import type { TrainRequest, TrainResult } from '../../../src-main/engine/trainer';
import { ComputeReporter } from '../../../src-main/pipeline/compute-report';
import type { StartEngineTraining } from '../../../src-main/pipeline/engine-training';
import type { TrainingPipelineDeps } from '../../../src-main/pipeline/training-pipeline';
import { defaultImageIo } from '../../../src-main/store/default-image-io';
import { createStoreApp, type StoreApp } from '../services/store-app';
import { writeBlobFolders } from './blob-folders';

/** A doctor's report that needs no GPU probe. */
export class FixedCompute extends ComputeReporter {
  override report(): Promise<GpuDoctorReport> {
    return Promise.resolve({
      training: { active: 'cpu', device: 'CPU', attempts: [{ backend: 'cpu', available: true }] },
      inference: { provider: 'cpu' },
      findings: [],
      gpus: [],
    });
  }
}

/** An engine that records what it was asked and ends at once with the status the test chooses. */
export function fakeEngine(): { start: StartEngineTraining; requests: TrainRequest[]; endWith: { status: 'interrupted' | 'cancelled' } } {
  const requests: TrainRequest[] = [];
  const endWith = { status: 'interrupted' as 'interrupted' | 'cancelled' };
  const start: StartEngineTraining = (request) => {
    requests.push(request);
    const result: TrainResult = {
      status: endWith.status,
      ...(endWith.status === 'interrupted' ? { error: { code: 'INTERNAL' as const, message: 'the engine process was killed by SIGKILL' } } : {}),
      bestCheckpoint: null,
      latestCheckpoint: null,
      steps: 0,
      metrics: { curve: [], validation: [], best: null },
      elapsedSeconds: 0,
    };
    return { done: Promise.resolve(result), cancel: () => undefined };
  };
  return { start, requests, endWith };
}

export interface PipelineHarness {
  app: StoreApp;
  deps: TrainingPipelineDeps;
  engine: ReturnType<typeof fakeEngine>;
  /** A data set of 3 annotated 96² blob images. */
  datasetId: number;
}

/** A store app with a small annotated data set, and the training pipeline's dependencies with the fake engine. */
export async function createPipelineHarness(): Promise<PipelineHarness> {
  const app = createStoreApp();
  await writeBlobFolders(path.join(app.tmp, 'blobs'), { count: 3, width: 96, height: 96 });
  const datasetId = (await app.call<{ id: number }>('datasets.create', { name: 'blobs' })).id;
  expect((await app.job('images.import', { datasetId, paths: [path.join(app.tmp, 'blobs')] })).status).toBe('succeeded');
  const engine = fakeEngine();
  const { ctx } = app;
  const deps: TrainingPipelineDeps = {
    context: { workspace: ctx.workspace, bus: ctx.bus, jobs: ctx.jobs, logger: ctx.logger, io: defaultImageIo, isPathAllowed: () => true },
    compute: new FixedCompute(),
    startEngine: engine.start,
  };
  return { app, deps, engine, datasetId };
}

/** A checkpoint folder as far as resuming reads it: its description with the step. */
export function writeCheckpointAt(dir: string, step: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'unet.json'), JSON.stringify({ format: 'unet-studio-model', formatVersion: 1, training: { step } }));
}
