import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainOptions } from '../../../src-shared/contract/training';
import { runCheckpointsDir } from '../../../src-main/pipeline/run-model';
import { resumeTrainingRun, startTrainingRun } from '../../../src-main/pipeline/training-pipeline';
import { createPipelineHarness, writeCheckpointAt, type PipelineHarness } from './training-pipeline-harness';

let h: PipelineHarness;

beforeAll(async () => {
  h = await createPipelineHarness();
});

afterAll(async () => {
  await h?.app.dispose();
});

/** Starts a run that ends at once; returns its id and the gamma range the engine was asked for and the run recorded. */
async function gammaOf(options: Partial<TrainOptions>): Promise<{ runId: number; asked: unknown; recorded: unknown }> {
  const { job, runId } = await startTrainingRun(h.deps, { datasetId: h.datasetId, options: { preset: 'tiny', steps: 10, ...options } });
  await h.app.ctx.jobs.wait(job.id);
  const asked = h.engine.requests.at(-1)?.config.augmentation?.gamma;
  const recorded = (h.app.ctx.workspace.current.runs.get(runId).config as { augmentation?: { gamma?: unknown } }).augmentation?.gamma;
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
    h.engine.endWith.status = 'interrupted';
    const { runId } = await gammaOf({ normalization: 'per-image', gamma: 0.7 });
    const latest = path.join(runCheckpointsDir(h.app.ctx.workspace.current, runId), 'latest');
    writeCheckpointAt(latest, 3);
    h.app.ctx.workspace.current.runs.addCheckpoint(runId, { step: 3, path: latest });
    const before = h.engine.requests.length;
    const { job } = await resumeTrainingRun(h.deps, runId);
    await h.app.ctx.jobs.wait(job.id);
    expect(h.engine.requests.length).toBe(before + 1);
    expect(h.engine.requests.at(-1)?.resumeFrom).toBeDefined();
    expect(h.engine.requests.at(-1)?.config.augmentation?.gamma).toBe(0.7);
  });

  it('refuses a range outside [0, 1.5] with a typed error', async () => {
    await expect(startTrainingRun(h.deps, { datasetId: h.datasetId, options: { preset: 'tiny', steps: 10, gamma: 2 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(startTrainingRun(h.deps, { datasetId: h.datasetId, options: { preset: 'tiny', steps: 10, gamma: -0.1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
