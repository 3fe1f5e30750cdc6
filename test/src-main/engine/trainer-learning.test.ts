import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../../src-main/engine/model-files';
import { train } from '../../../src-main/engine/trainer';
import { blobSample } from './trainer-data';

// The one test that trains for real: the tiny preset on generated touching cells, scored on held-out images.
describe('train (tiny preset, wasm)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'unet-learn-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('learns to segment held-out touching cells (foreground IoU >= 0.9)', async () => {
    const result = await train({
      // What the network learns is checked here; which validated checkpoint is kept, in ort-trainer.test.ts.
      config: { preset: 'tiny', backend: 'wasm', steps: 400, validateEvery: 100, seed: 3, keepBest: 'iou' },
      train: [1, 2, 3, 4].map((s) => blobSample(s)),
      validation: [100, 101].map((s) => blobSample(s)),
      outDir: path.join(root, 'learn'),
    });
    expect(result.status).toBe('succeeded');
    expect(result.steps).toBe(400);
    expect(result.metrics.validation.map((v) => v.step)).toEqual([100, 200, 300, 400]);
    expect(result.metrics.best?.iou).toBeGreaterThanOrEqual(0.9);
    // The best checkpoint holds the best validated weights and says so.
    const best = await loadModelFolder(result.bestCheckpoint as string);
    expect(best.metadata.training.validation?.iou).toBe(result.metrics.best?.iou);
    expect(best.metadata.training.step).toBe(result.metrics.best?.step);
    best.model.dispose();
  }, 150_000);
});
