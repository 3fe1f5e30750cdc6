import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train, type TrainRequest } from '../../../src-main/engine/trainer';
import { loadModelFolder } from '../../../src-main/engine/model-files';
import { openUnetRunner } from '../../../src-main/engine/inference/open-runner';
import { segmentModelInput } from '../../../src-main/pipeline/segment-file';
import { blobSample } from './trainer-data';

const TRAIN = [1, 2, 3, 4].map((s) => blobSample(s));
const VALIDATION = [100, 101].map((s) => blobSample(s));

describe('train (in process, wasm)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'unet-train-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const request = (name: string, config: TrainRequest['config'], extra: Partial<TrainRequest> = {}): TrainRequest => ({
    config: { preset: 'tiny', backend: 'wasm', seed: 5, ...config },
    train: TRAIN,
    validation: VALIDATION,
    outDir: path.join(root, name),
    ...extra,
  });

  it('keeps the number of tensors constant from step to step', async () => {
    const counts: number[] = [];
    const result = await train(request('leak', { steps: 8, validateEvery: 3, checkpointEvery: 2 }), {
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    expect(result.status).toBe('succeeded');
    expect(counts).toHaveLength(8);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('is reproducible for a seed', async () => {
    const a = await train(request('repro-a', { steps: 6, validateEvery: 100 }));
    const b = await train(request('repro-b', { steps: 6, validateEvery: 100 }));
    const c = await train(request('repro-c', { steps: 6, validateEvery: 100, seed: 6 }));
    expect(a.metrics.curve).toEqual(b.metrics.curve);
    expect(a.metrics.curve).not.toEqual(c.metrics.curve);
  });

  it('trains a border class as the last class and records it with the model', async () => {
    const result = await train(request('border', { steps: 3, validateEvery: 3, borderClass: true }));
    expect(result.status).toBe('succeeded');
    expect(result.config?.numClasses).toBe(4);
    const { metadata, model } = await loadModelFolder(result.bestCheckpoint!);
    try {
      expect(metadata.borderClass).toBe(3);
      expect(metadata.classNames).toEqual(['unlabeled', 'background', 'class 1', 'border']);
      expect(metadata.architecture.numClasses).toBe(4);
    } finally {
      model.dispose();
    }
    const plain = await loadModelFolder((await train(request('no-border', { steps: 1, validateEvery: 1 }))).bestCheckpoint!);
    expect(plain.metadata.borderClass).toBeUndefined();
    plain.model.dispose();
  });

  it('trains on enlarged images when asked and records the factor with the model, which segments at the image size', async () => {
    const result = await train(request('upscale', { steps: 2, validateEvery: 2, upscale: 2 }));
    expect(result.status).toBe('succeeded');
    expect(result.config?.upscale).toBe(2);
    const { metadata, model } = await loadModelFolder(result.bestCheckpoint!);
    model.dispose();
    expect(metadata.upscale).toBe(2);
    const opened = await openUnetRunner(result.bestCheckpoint!);
    try {
      const s = VALIDATION[0];
      const segmented = await segmentModelInput(opened, s.width, s.height, s.image, { instances: {} });
      expect([segmented.width, segmented.height, segmented.classMap.length]).toEqual([s.width, s.height, s.width * s.height]);
    } finally {
      await opened.runner.dispose();
    }
    const auto = await train(request('upscale-auto', { steps: 1, validateEvery: 1, upscale: 'auto' }));
    expect(auto.status).toBe('succeeded');
    const autoModel = await loadModelFolder(auto.bestCheckpoint!);
    autoModel.model.dispose();
    expect(autoModel.metadata.upscale).toBe('auto');
    // Runs that do not enlarge record nothing, so their configs read as before.
    const plain = await train(request('no-upscale', { steps: 1, validateEvery: 1 }));
    expect(plain.config && 'upscale' in plain.config).toBe(false);
  });

  it('cancels with a checkpoint and resumes exactly where it stopped', async () => {
    const config = { steps: 12, validateEvery: 4 };
    let last = 0;
    const first = await train(request('resume', config), {
      onProgress: (p) => (last = p.step),
      shouldStop: () => last >= 5,
    });
    expect(first.status).toBe('cancelled');
    expect(first.steps).toBe(5);
    expect(first.latestCheckpoint).toBe(path.join(root, 'resume', 'latest'));
    expect((await loadModelFolder(first.latestCheckpoint as string)).metadata.training.step).toBe(5);

    const seen: number[] = [];
    const second = await train(request('resume', config, { resumeFrom: path.join(root, 'resume') }), {
      onProgress: (p) => seen.push(p.step),
    });
    expect(second.status).toBe('succeeded');
    expect(seen).toEqual([6, 7, 8, 9, 10, 11, 12]);
    const steps = second.metrics.curve.map((c) => c.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    const straight = await train(request('straight', config));
    expect(second.metrics.curve).toEqual(straight.metrics.curve);
    expect(second.metrics.validation).toEqual(straight.metrics.validation);
  });

  it('refuses a checkpoint of another architecture, reporting what it knew and releasing what it loaded', async () => {
    const first = await train(request('other-arch', { steps: 2, validateEvery: 100 }));
    expect(first.status).toBe('succeeded');
    const tensors = tf.memory().numTensors;
    const result = await train(request('other-arch-resumed', { steps: 4, baseChannels: 4 }, { resumeFrom: path.join(root, 'other-arch') }));
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('CONFLICT');
    expect(result.config?.baseChannels).toBe(4);
    expect(result.backend?.active).toBeDefined();
    expect([result.steps, result.latestCheckpoint, result.bestCheckpoint]).toEqual([0, null, null]);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('stops when the time budget is spent and keeps the best validated weights', async () => {
    const result = await train(request('budget', { steps: 100_000, minutes: 0.05, validateEvery: 100_000 }));
    expect(result.status).toBe('succeeded');
    expect(result.stopReason).toBe('time');
    expect(result.steps).toBeGreaterThan(0);
    expect(result.steps).toBeLessThan(100_000);
    expect(result.metrics.best?.step).toBe(result.steps);
    expect(result.bestCheckpoint).toBe(path.join(root, 'budget', 'best'));
  });

  it('refuses the paper preset on wasm before training, naming a tile that fits', async () => {
    const result = await train(request('paper', { preset: 'paper', steps: 1, autoShrinkTile: false }));
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TOO_LARGE');
    expect(result.error?.message).toMatch(/largest tile that fits is \d+/);
    expect(result.steps).toBe(0);
  });

  it('fails with a typed error on bad input instead of throwing', async () => {
    const bad = { ...TRAIN[0], classMap: new Uint8Array(3) };
    const result = await train({ ...request('bad', { steps: 1 }), train: [bad] });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('INVALID_ARGUMENT');
  });
});
