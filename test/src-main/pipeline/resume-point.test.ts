import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterruptedRun } from '../../../src-shared/contract/records';
import { runCheckpointsDir } from '../../../src-main/pipeline/run-model';
import { resumeTrainingRun, startTrainingRun, type TrainingPipelineDeps } from '../../../src-main/pipeline/training-pipeline';
import type { Workspace } from '../../../src-main/store/workspace';
import type { StoreApp } from '../services/store-app';
import { createPipelineHarness, writeCheckpointAt, type PipelineHarness } from './training-pipeline-harness';

let app: StoreApp;
let ws: Workspace;
let deps: TrainingPipelineDeps;
let engine: PipelineHarness['engine'];
let datasetId: number;

beforeAll(async () => {
  ({ app, deps, engine, datasetId } = await createPipelineHarness());
  ws = app.ctx.workspace.current;
});

afterAll(async () => {
  await app?.dispose();
});

/** A run whose engine died at once, as after a kill: it ends interrupted with nothing saved. */
async function interruptedRun(name: string): Promise<number> {
  engine.endWith.status = 'interrupted';
  const { job, runId } = await startTrainingRun(deps, { datasetId, name, options: { preset: 'tiny', steps: 100 } });
  expect((await app.ctx.jobs.wait(job.id)).status).toBe('interrupted');
  return runId;
}

async function listed(): Promise<Map<number, InterruptedRun>> {
  return new Map((await app.call<InterruptedRun[]>('runs.interrupted')).map((entry) => [entry.run.id, entry]));
}

describe('the resume point', () => {
  it('is the same for the list of interrupted runs and for resume', async () => {
    // Only a best checkpoint (validation came before the first latest): nothing a resume loads.
    const bestOnly = await interruptedRun('best only');
    const bestDir = path.join(runCheckpointsDir(ws, bestOnly), 'best');
    writeCheckpointAt(bestDir, 5);
    ws.runs.addCheckpoint(bestOnly, { step: 5, path: bestDir, metricName: 'iou', metricValue: 0.5 });
    // The latest checkpoint was written but the app died before recording it.
    const unreported = await interruptedRun('unreported');
    writeCheckpointAt(path.join(runCheckpointsDir(ws, unreported), 'latest'), 30);
    // The recorded checkpoint's folder is gone.
    const deleted = await interruptedRun('deleted');
    ws.runs.addCheckpoint(deleted, { step: 10, path: path.join(runCheckpointsDir(ws, deleted), 'latest') });
    // The app died between the two renames of a checkpoint write: the checkpoint is set aside.
    const setAside = await interruptedRun('set aside');
    ws.runs.addCheckpoint(setAside, { step: 20, path: path.join(runCheckpointsDir(ws, setAside), 'latest') });
    writeCheckpointAt(path.join(runCheckpointsDir(ws, setAside), `.latest.old-999999-${Date.now()}`), 20);
    // A resume of `unreported` killed before its first checkpoint.
    const { job, runId: resumedUnreported } = await resumeTrainingRun(deps, unreported);
    expect((await app.ctx.jobs.wait(job.id)).status).toBe('interrupted');

    const entries = await listed();
    expect([bestOnly, unreported, deleted, setAside, resumedUnreported].map((id) => [id, entries.get(id)?.resumable, entries.get(id)?.lastCheckpoint?.step ?? null])).toEqual([
      [bestOnly, false, 5],
      [unreported, true, 30],
      [deleted, false, 10],
      [setAside, true, 20],
      [resumedUnreported, true, 30],
    ]);
    expect(entries.get(unreported)?.lastCheckpoint?.path).toBe(path.join(runCheckpointsDir(ws, unreported), 'latest'));
    expect(entries.get(resumedUnreported)?.lastCheckpoint?.runId).toBe(unreported);

    // Resume does what the list says: it continues from the listed checkpoint, or refuses.
    engine.endWith.status = 'cancelled';
    for (const entry of entries.values()) {
      const attempt = resumeTrainingRun(deps, entry.run.id);
      if (!entry.resumable) {
        await expect(attempt, `run ${entry.run.id}`).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/saved no checkpoint/) });
        continue;
      }
      const started = await attempt;
      await app.ctx.jobs.wait(started.job.id);
      const checkpoint = entry.lastCheckpoint;
      expect(checkpoint, `run ${entry.run.id}`).not.toBeNull();
      expect(engine.requests.at(-1)?.resumeFrom).toBe(runCheckpointsDir(ws, checkpoint?.runId as number));
      expect(checkpoint?.path).toBe(path.join(runCheckpointsDir(ws, checkpoint?.runId as number), 'latest'));
    }
  });
});
