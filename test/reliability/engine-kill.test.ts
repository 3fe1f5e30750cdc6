import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginePids, openTrainingApp, theEnginePid, waitForJob, type TrainingApp } from './engine-harness';
import { killAndResumeChain, type KillChainFigures } from './engine-kill-suite';
import { writeFigures } from './figures';

// The engine is SIGKILLed as the kernel's out-of-memory killer (or a user) would: quick variant, one kill.
let dir: string;
let app: TrainingApp;
const figures: { chain?: KillChainFigures; beforeCheckpoint?: Record<string, unknown> } = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-kill-'));
  app = await openTrainingApp(dir);
});

afterAll(async () => {
  writeFigures('engine-kill', figures);
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine process killed with SIGKILL mid-training', () => {
  it('ends the job interrupted within seconds, the app answers, the checkpoint loads (also when left set aside), and the resume loses and repeats no step', async () => {
    figures.chain = await killAndResumeChain(app, { steps: 30, validateEvery: 5, seed: 3, kills: [{ at: 'step', step: 12, setAside: true }], interruptWithinMs: 5_000 });
    const [kill] = figures.chain.kills;
    expect(kill.checkpointStep).toBeGreaterThanOrEqual(10);
    expect(kill.message).toMatch(/Resume the run to continue from the checkpoint at step \d+/);
  }, 120_000);

  it('a kill before the first checkpoint: interrupted, and a resume says there is nothing to continue from', async () => {
    const { api, ctx, datasetId } = app;
    const { job, runId } = await api.training.start({ datasetId, options: { preset: 'tiny', steps: 30, validateEvery: 1000, seed: 4 } });
    let killedAt = 0;
    const off = api.training.onProgress((p) => {
      if (p.runId === runId && p.step >= 2 && killedAt === 0) {
        killedAt = performance.now();
        process.kill(theEnginePid(), 'SIGKILL');
      }
    });
    const ended = await waitForJob(ctx, job, 60_000);
    const msToInterrupted = Math.round(performance.now() - killedAt);
    off();
    expect(ended.status).toBe('interrupted');
    expect(ended.error?.message).toMatch(/killed by SIGKILL.*It saved no checkpoint: start it again/);
    expect(enginePids()).toEqual([]);
    await expect(api.training.resume({ runId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/saved no checkpoint/) });
    expect((await api.runs.list({ datasetId, status: 'running' })).length).toBe(0);
    figures.beforeCheckpoint = { msToInterrupted, message: ended.error?.message };
  }, 120_000);
});
