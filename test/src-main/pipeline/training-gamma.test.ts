import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainOptions } from '../../../src-shared/contract/training';
import { runCheckpointsDir } from '../../../src-main/pipeline/run-model';
import { resumeTrainingRun, startTrainingRun, type TrainingPipelineDeps } from '../../../src-main/pipeline/training-pipeline';
import type { StoreApp } from '../services/store-app';
import { createPipelineHarness, writeCheckpointAt, type PipelineHarness } from './training-pipeline-harness';

let app: StoreApp;
let deps: TrainingPipelineDeps;
let engine: PipelineHarness['engine'];
let datasetId: number;

beforeAll(async () => {
  ({ app, deps, engine, datasetId } = await createPipelineHarness());
});

afterAll(async () => {
  await app?.dispose();
});

/** Starts a run that ends at once; returns its id and the gamma range the engine was asked for and the run recorded. */
async function gammaOf(options: Partial<TrainOptions>): Promise<{ runId: number; asked: unknown; recorded: unknown }> {
  const { job, runId } = await startTrainingRun(deps, { datasetId, options: { preset: 'tiny', steps: 10, ...options } });
  await app.ctx.jobs.wait(job.id);
  const asked = engine.requests.at(-1)?.config.augmentation?.gamma;
  const recorded = (app.ctx.workspace.current.runs.get(runId).config as { augmentation?: { gamma?: unknown } }).augmentation?.gamma;
  return { runId, asked, recorded };
}

describe("the gray-value augmentation's gamma range", () => {
  it('is 0.5 unless the run sets it, and is recorded with the run either way', async () => {
    expect(await gammaOf({})).toMatchObject({ asked: 0.5, recorded: 0.5 });
    expect(await gammaOf({ normalization: 'per-image' })).toMatchObject({ asked: 0.5, recorded: 0.5 });
    expect(await gammaOf({ gamma: 0.2 })).toMatchObject({ asked: 0.2, recorded: 0.2 });
    expect(await gammaOf({ normalization: 'per-image', gamma: 0.9 })).toMatchObject({ asked: 0.9, recorded: 0.9 });
    expect(await gammaOf({ gamma: 0 })).toMatchObject({ asked: 0, recorded: 0 });
  });

  it('is kept when a run resumes', async () => {
    engine.endWith.status = 'interrupted';
    const { runId } = await gammaOf({ normalization: 'per-image', gamma: 0.7 });
    const latest = path.join(runCheckpointsDir(app.ctx.workspace.current, runId), 'latest');
    writeCheckpointAt(latest, 3);
    app.ctx.workspace.current.runs.addCheckpoint(runId, { step: 3, path: latest });
    const before = engine.requests.length;
    const { job } = await resumeTrainingRun(deps, runId);
    await app.ctx.jobs.wait(job.id);
    expect(engine.requests.length).toBe(before + 1);
    expect(engine.requests.at(-1)?.resumeFrom).toBeDefined();
    expect(engine.requests.at(-1)?.config.augmentation?.gamma).toBe(0.7);
  });

  it('refuses a range outside [0, 1.5] with a typed error', async () => {
    await expect(startTrainingRun(deps, { datasetId, options: { preset: 'tiny', steps: 10, gamma: 2 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(startTrainingRun(deps, { datasetId, options: { preset: 'tiny', steps: 10, gamma: -0.1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
