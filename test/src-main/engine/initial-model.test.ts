import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/engine/backend';
import { loadInitialModel } from '../../../src-main/engine/initial-model';
import { saveModelFolder, METADATA_FORMAT } from '../../../src-main/engine/model-files';
import { buildUNet } from '../../../src-main/engine/unet-model';
import type { UNetArchitecture } from '../../../src-main/engine/unet-architecture';

const ARCH: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: 3, dropout: 0.5 };

describe('starting a run from a model folder', () => {
  let dir: string;
  let modelDir: string;
  beforeAll(async () => {
    await initBackend('cpu');
    dir = await mkdtemp(path.join(os.tmpdir(), 'unet-initial-model-'));
    modelDir = path.join(dir, 'model');
    const model = buildUNet(ARCH, { seed: 11, inputSize: 92 });
    await saveModelFolder(modelDir, model, {
      format: METADATA_FORMAT,
      formatVersion: 1,
      architecture: ARCH,
      tile: { input: 92, output: 52, halo: 20 },
      classNames: ['unlabeled', 'background', 'cell'],
      normalization: null,
      training: { step: 100, dataHash: 'd', configHash: 'c', backend: 'cpu' },
      versions: {},
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    model.dispose();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes every weight of the model, at another tile size and whatever the seed', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reference = buildUNet(ARCH, { seed: 11, inputSize: 92 });
    const started = await loadInitialModel(modelDir, { ...ARCH, dropout: 0.2 }, 132, 99);
    expect(started.inputs[0].shape).toEqual([null, 132, 132, 1]);
    const a = reference.getWeights();
    const b = started.getWeights();
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(Array.from(b[i].dataSync())).toEqual(Array.from(a[i].dataSync()));
    // A fresh network of the same seed differs: the weights really came from the folder.
    const fresh = buildUNet(ARCH, { seed: 99, inputSize: 132 });
    expect(Array.from(fresh.getWeights()[0].dataSync())).not.toEqual(Array.from(a[0].dataSync()));
    for (const m of [reference, started, fresh]) m.dispose();
    // The starting model read from the folder is released once its weights are copied.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('refuses a model whose weights do not fit the run, naming what differs', async () => {
    await expect(loadInitialModel(modelDir, { ...ARCH, numClasses: 4 }, 92, 1)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/numClasses 3 \(this run: 4\)/) });
    await expect(loadInitialModel(modelDir, { ...ARCH, baseChannels: 8 }, 92, 1)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
