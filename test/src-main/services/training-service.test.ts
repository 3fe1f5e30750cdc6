import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type UnetApi } from '../../../src-shared/contract/index';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import type { TrainProgressInfo } from '../../../src-shared/contract/training';
import { createApiClient } from '../../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import { writeBlobFolders } from '../pipeline/blob-folders';

let dir: string;
let ctx: AppContext;
let api: UnetApi;
let datasetId: number;
let imageIds: number[];

async function waitForJob(job: JobInfo): Promise<JobInfo> {
  return ctx.jobs.wait(job.id);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-training-service-'));
  await writeBlobFolders(path.join(dir, 'blobs'), { count: 4, width: 96, height: 96 });
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
  api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, p) => c === channel && listener(p)),
  });
  datasetId = (await api.datasets.create({ name: 'blobs' })).id;
  const imported = await waitForJob(await api.images.import({ datasetId, paths: [path.join(dir, 'blobs')] }));
  expect(imported.status).toBe('succeeded');
  imageIds = (await api.images.list({ datasetId })).items.map((i) => i.id);
  await api.images.setSplit({ ids: imageIds.slice(0, 3), split: 'train' });
  await api.images.setSplit({ ids: imageIds.slice(3), split: 'validation' });
});

afterAll(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('training service', () => {
  it('lists the presets with their network sizes', async () => {
    const presets = await api.training.presets();
    expect(presets.map((p) => p.name)).toEqual(['paper', 'fast', 'tiny']);
    const paper = presets[0];
    expect([paper.depth, paper.baseChannels, paper.tile, paper.outputTile]).toEqual([4, 64, 572, 388]);
    expect(paper.parameters).toBeGreaterThan(presets[1].parameters);
  });

  it('trains end to end and records the run, its curve, checkpoints and an ONNX model', async () => {
    const events: TrainProgressInfo[] = [];
    const off = api.training.onProgress((p) => events.push(p));
    const { job, runId } = await api.training.start({ datasetId, name: 'tiny run', options: { preset: 'tiny', steps: 6, validateEvery: 3, seed: 7 } });
    const finished = await waitForJob(job);
    off();
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
    expect(finished.progress).toBe(100);

    const run = await api.runs.get({ id: runId });
    expect(run.status).toBe('succeeded');
    expect(run.seed).toBe(7);
    expect(run.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(run.config).toMatchObject({ preset: 'tiny', steps: 6, depth: 2, normalization: { kind: 'percentile' } });
    expect(run.images.map((m) => m.split).sort()).toEqual(['train', 'train', 'train', 'validation']);
    expect(run.images.every((m) => m.annotationVersion === 1)).toBe(true);
    expect(run.versions['tfjs-core']).toMatch(/^\d+\.\d+/);

    const curve = await api.runs.curves({ id: runId });
    expect(curve.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(curve.every((p) => Number.isFinite(p.loss))).toBe(true);
    expect(curve.filter((p) => p.metrics.iou !== undefined).map((p) => p.step)).toEqual([3, 6]);

    const checkpoints = await api.runs.checkpoints({ id: runId });
    expect(checkpoints.some((c) => c.metricName === 'iou')).toBe(true);
    expect(checkpoints.some((c) => c.path.endsWith('latest') && c.step === 6)).toBe(true);
    const modelDir = path.join(dir, 'workspace', 'models', `run-${runId}`, 'model');
    expect(existsSync(path.join(modelDir, 'model.onnx'))).toBe(true);

    expect(events.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.runId === runId && e.totalSteps === 6)).toBe(true);
    expect(events[2].validation?.iou).toBeGreaterThanOrEqual(0);
  });

  it('records batch normalisation as trained (off on a tfjs backend) and calibrates for the score asked for', async () => {
    const { job, runId } = await api.training.start({ datasetId, name: 'asked', options: { preset: 'tiny', steps: 2, validateEvery: 2, batchNorm: true, calibrationMetric: 'vRand' } });
    const finished = await waitForJob(job);
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
    const run = await api.runs.get({ id: runId });
    expect(run.config).toMatchObject({ calibrationMetric: 'vRand', batchNorm: run.backend?.startsWith('onnxruntime') === true });
    const unet = JSON.parse(readFileSync(path.join(dir, 'workspace', 'models', `run-${runId}`, 'model', 'unet.json'), 'utf8'));
    expect(unet.instancePostprocessing.metric).toBe('vRand');
  });

  it('fine-tunes from a finished run: its architecture, and a record of where it started', async () => {
    const parent = (await api.runs.list({ datasetId })).find((r) => r.name === 'tiny run' && r.status === 'succeeded');
    expect(parent).toBeDefined();
    await expect(api.training.start({ datasetId, options: { preset: 'paper', steps: 2, init: 'run:999' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.training.start({ datasetId, options: { preset: 'tiny', baseChannels: 32, steps: 2, init: `run:${parent!.id}` } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The paper preset's network would be far larger: the starting model's architecture wins.
    const { job, runId } = await api.training.start({ datasetId, name: 'fine-tuned', options: { preset: 'paper', steps: 2, validateEvery: 2, init: `run:${parent!.id}` } });
    const finished = await waitForJob(job);
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded');
    const run = await api.runs.get({ id: runId });
    expect(run.config).toMatchObject({ depth: 2, baseChannels: 8, tile: 92, init: { source: { kind: 'run', runId: parent!.id }, label: `run #${parent!.id} (tiny run)` } });
  });

  it('cancels through the job and records the run as cancelled, keeping the model so far', async () => {
    const { job, runId } = await api.training.start({ datasetId, options: { preset: 'tiny', steps: 500, validateEvery: 1000 } });
    const off = api.training.onProgress((p) => {
      if (p.runId === runId && p.step >= 2) void api.jobs.cancel({ id: job.id });
    });
    const finished = await waitForJob(job);
    off();
    expect(finished.status).toBe('cancelled');
    const run = await api.runs.get({ id: runId });
    expect(run.status).toBe('cancelled');
    expect(run.lastStep).toBeLessThan(500);
    expect(run.lastCheckpoint?.path).toMatch(/latest$/);
    expect(existsSync(path.join(dir, 'workspace', 'models', `run-${runId}`, 'model', 'unet.json'))).toBe(true);
  });

  it('refuses clearly, before anything runs, when there is nothing to train on', async () => {
    const empty = await api.datasets.create({ name: 'empty' });
    await expect(api.training.start({ datasetId: empty.id, options: { preset: 'tiny' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/has no images/) });

    // Images without annotations.
    const bare = await api.datasets.create({ name: 'bare' });
    await waitForJob(await api.images.import({ datasetId: bare.id, paths: [path.join(dir, 'blobs', 'images')], masks: false }));
    await expect(api.training.start({ datasetId: bare.id, options: { preset: 'tiny' } })).rejects.toMatchObject({ message: expect.stringMatching(/no annotated images/) });

    // Annotations with no labelled pixel, and with one class only.
    const image = (await api.images.list({ datasetId: bare.id })).items[0];
    const pixels = image.width * image.height;
    await api.annotations.save({ imageId: image.id, baseVersion: 0, classMap: new Uint8Array(pixels), instanceMap: new Uint32Array(pixels) });
    await api.images.setSplit({ ids: [image.id], split: 'train' });
    await expect(api.training.start({ datasetId: bare.id, options: { preset: 'tiny' } })).rejects.toMatchObject({ message: expect.stringMatching(/no annotated pixels/) });
    await api.annotations.save({ imageId: image.id, baseVersion: 1, classMap: new Uint8Array(pixels).fill(1), instanceMap: new Uint32Array(pixels) });
    await expect(api.training.start({ datasetId: bare.id, options: { preset: 'tiny' } })).rejects.toMatchObject({ message: expect.stringMatching(/only one class/) });

    // The only annotated image is held out for testing: nothing to train, and test images are never split automatically.
    await api.images.setSplit({ ids: [image.id], split: 'test' });
    await expect(api.training.start({ datasetId: bare.id, options: { preset: 'tiny' } })).rejects.toMatchObject({ message: expect.stringMatching(/every annotated image of data set "bare" is in the test split/) });
    expect((await api.runs.list({ datasetId: bare.id })).length).toBe(0);
  });

  it('refuses a tile that is not legal for the depth and an unknown data set', async () => {
    await expect(api.training.start({ datasetId, options: { preset: 'tiny', tile: 93 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/tile 93 is not a legal input size/) });
    await expect(api.training.start({ datasetId: 9999, options: { preset: 'tiny' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resumes a cancelled run from its checkpoint as a new run', async () => {
    const cancelled = (await api.runs.list({ datasetId, status: 'cancelled' }))[0];
    const { job, runId } = await api.training.resume({ runId: cancelled.id });
    // The resumed run continues towards the original 500 steps: stop it after one more step.
    const off = api.training.onProgress((p) => {
      if (p.runId === runId) void api.jobs.cancel({ id: job.id });
    });
    const finished = await waitForJob(job);
    off();
    expect(finished.status).toBe('cancelled');
    const run = await api.runs.get({ id: runId });
    expect(run.resumedFrom).toBe(cancelled.id);
    const first = (await api.runs.curves({ id: runId }))[0];
    expect(first.step).toBeGreaterThan(cancelled.lastStep as number);
    await expect(api.training.resume({ runId: (await api.runs.list({ datasetId, status: 'succeeded' }))[0].id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
