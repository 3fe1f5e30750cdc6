import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrainingApp, type TrainingApp } from './engine-harness';
import { killAndResumeChain, type KillChainFigures } from './engine-kill-suite';
import { writeFigures } from './figures';

// Long variant: one lineage killed nine times (mid-step, during and just after checkpoint writes, while a
// resume is starting), resumed after each kill, and trained to the end.
let dir: string;
let app: TrainingApp;
let figures: KillChainFigures | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-kill-long-'));
  app = await openTrainingApp(dir);
});

afterAll(async () => {
  if (figures) writeFigures('engine-kill.long', { ...figures });
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine process killed with SIGKILL, again and again', () => {
  it('every kill ends interrupted, every checkpoint loads, and the lineage trains 1..200 without a lost or repeated step', async () => {
    figures = await killAndResumeChain(app, {
      steps: 200,
      validateEvery: 10,
      seed: 11,
      interruptWithinMs: 5_000,
      kills: [
        { at: 'step', step: 23 },
        { at: 'checkpoint', step: 40, delayMs: 0 },
        { at: 'write', step: 60 },
        { at: 'startup', delayMs: 200 },
        { at: 'step', step: 97, setAside: true },
        { at: 'checkpoint', step: 120, delayMs: 1 },
        { at: 'startup', delayMs: 1500 },
        { at: 'step', step: 171 },
        { at: 'write', step: 180 },
      ],
    });
    expect(figures.kills).toHaveLength(9);
    expect(figures.runs).toHaveLength(10);
  });
});
