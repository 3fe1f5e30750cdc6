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

type RangeKey = 'gamma' | 'scale';

/** Starts a run that ends at once; returns its id and the ranges the engine was asked for and the run recorded. */
async function rangesOf(options: Partial<TrainOptions>): Promise<{ runId: number } & Record<RangeKey, { asked: unknown; recorded: unknown }>> {
  const { job, runId } = await startTrainingRun(h.deps, { datasetId: h.datasetId, options: { preset: 'tiny', steps: 10, ...options } });
  await h.app.ctx.jobs.wait(job.id);
  const asked = h.engine.requests.at(-1)?.config.augmentation as Record<string, unknown> | undefined;
  const recorded = (h.app.ctx.workspace.current.runs.get(runId).config as { augmentation?: Record<string, unknown> }).augmentation;
  const pair = (key: RangeKey) => ({ asked: asked?.[key], recorded: recorded?.[key] });
  return { runId, gamma: pair('gamma'), scale: pair('scale') };
}

describe("the augmentation's gamma and zoom ranges", () => {
  it('are 0.5 and 0 unless the run sets them, and are recorded with the run either way', async () => {
    expect(await rangesOf({})).toMatchObject({ gamma: { asked: 0.5, recorded: 0.5 }, scale: { asked: 0, recorded: 0 } });
    expect(await rangesOf({ normalization: 'per-image' })).toMatchObject({ gamma: { asked: 0.5, recorded: 0.5 }, scale: { asked: 0, recorded: 0 } });
    expect(await rangesOf({ gamma: 0.2 })).toMatchObject({ gamma: { asked: 0.2, recorded: 0.2 }, scale: { asked: 0, recorded: 0 } });
    expect(await rangesOf({ normalization: 'per-image', gamma: 0.9, scale: 0.3 })).toMatchObject({ gamma: { asked: 0.9, recorded: 0.9 }, scale: { asked: 0.3, recorded: 0.3 } });
    expect(await rangesOf({ gamma: 0, scale: 0.7 })).toMatchObject({ gamma: { asked: 0, recorded: 0 }, scale: { asked: 0.7, recorded: 0.7 } });
  });

  it('are kept when a run resumes', async () => {
    h.engine.endWith.status = 'interrupted';
    const { runId } = await rangesOf({ normalization: 'per-image', gamma: 0.7, scale: 0.4 });
    const latest = path.join(runCheckpointsDir(h.app.ctx.workspace.current, runId), 'latest');
    writeCheckpointAt(latest, 3);
    h.app.ctx.workspace.current.runs.addCheckpoint(runId, { step: 3, path: latest });
    const before = h.engine.requests.length;
    const { job } = await resumeTrainingRun(h.deps, runId);
    await h.app.ctx.jobs.wait(job.id);
    expect(h.engine.requests.length).toBe(before + 1);
    expect(h.engine.requests.at(-1)?.resumeFrom).toBeDefined();
    expect(h.engine.requests.at(-1)?.config.augmentation).toMatchObject({ gamma: 0.7, scale: 0.4 });
  });

  it('refuse a gamma range outside [0, 1.5] or a zoom range outside [0, 0.7] with a typed error', async () => {
    for (const bad of [{ gamma: 2 }, { gamma: -0.1 }, { scale: 0.8 }, { scale: -0.1 }]) {
      await expect(startTrainingRun(h.deps, { datasetId: h.datasetId, options: { preset: 'tiny', steps: 10, ...bad } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
