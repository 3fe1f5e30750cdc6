import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import { loadTrainingImages, planTraining } from '../../../src-main/pipeline/training-images';
import { writeBlobFolders } from './blob-folders';

let dir: string;
let ctx: AppContext;
let datasetId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-training-images-'));
  await writeBlobFolders(path.join(dir, 'blobs'), { count: 5, width: 40, height: 32 });
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'ws') });
  const created = await ctx.dispatch('datasets.create', { name: 'blobs' });
  if (!created.ok) throw new Error(created.error.message);
  datasetId = (created.value as { id: number }).id;
  const job = await ctx.dispatch('images.import', { datasetId, paths: [path.join(dir, 'blobs')] });
  if (!job.ok) throw new Error(job.error.message);
  await ctx.jobs.wait((job.value as { id: string }).id);
});

afterAll(async () => {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('planTraining', () => {
  it('splits a data set without splits 80/20 with the seed, and names the classes', () => {
    const ws = ctx.workspace.current;
    const plan = planTraining(ws, datasetId, 11);
    expect(plan.automaticSplit).toBe(true);
    expect([plan.train.length, plan.validation.length]).toEqual([4, 1]);
    expect(planTraining(ws, datasetId, 11).validation).toEqual(plan.validation);
    expect(plan.numClasses).toBe(3);
    expect(plan.classNames[0]).toBe('unlabeled');
    expect(plan.classNames[1]).toBe('background');
    expect(plan.train.every((i) => i.annotationVersion === 1 && i.split === 'train')).toBe(true);
  });

  it('uses the data set\'s own splits when it has them', () => {
    const ws = ctx.workspace.current;
    const ids = ws.images.all(datasetId).map((i) => i.id);
    ws.images.setSplit(ids.slice(0, 2), 'train');
    ws.images.setSplit(ids.slice(2, 3), 'validation');
    const plan = planTraining(ws, datasetId, 11);
    expect(plan.automaticSplit).toBe(false);
    expect(plan.train.map((i) => i.imageId)).toEqual(ids.slice(0, 2));
    expect(plan.validation.map((i) => i.imageId)).toEqual(ids.slice(2, 3));
  });

  it('keeps test images out of the automatic split, and refuses a manual split with nothing to train', () => {
    const ws = ctx.workspace.current;
    const ids = ws.images.all(datasetId).map((i) => i.id);
    ws.images.setSplit(ids, null);
    ws.images.setSplit(ids.slice(0, 1), 'test');
    const plan = planTraining(ws, datasetId, 11);
    expect(plan.automaticSplit).toBe(true);
    expect([...plan.train, ...plan.validation].map((i) => i.imageId).sort((a, b) => a - b)).toEqual(ids.slice(1));
    expect([plan.train.length, plan.validation.length]).toEqual([3, 1]);

    ws.images.setSplit(ids.slice(1, 2), 'validation');
    expect(() => planTraining(ws, datasetId, 11)).toThrow(/no annotated images in its train split: put some there in the Library, or clear the splits/);
    ws.images.setSplit(ids, 'test');
    expect(() => planTraining(ws, datasetId, 11)).toThrow(/every annotated image of data set "blobs" is in the test split/);
    ws.images.setSplit(ids, null);
  });
});

describe('loadTrainingImages', () => {
  it('normalises every image with the training images\' percentiles, or each by its own', async () => {
    const ws = ctx.workspace.current;
    const plan = planTraining(ws, datasetId, 11);
    const dataset = await loadTrainingImages(ws, plan);
    expect(dataset.normalization).toMatchObject({ kind: 'percentile', lowPct: 1, highPct: 99.8 });
    expect(dataset.train[0].image.length).toBe(40 * 32);
    expect(dataset.train[0].classMap.length).toBe(40 * 32);
    const perImage = await loadTrainingImages(ws, plan, undefined, 'per-image');
    expect(perImage.normalization).toEqual({ kind: 'percentile-per-image', lowPct: 1, highPct: 99.8 });
    for (const sample of perImage.train) {
      const sorted = Float32Array.from(sample.image).sort();
      expect(sorted[Math.floor(0.5 * sorted.length)]).toBeGreaterThan(-0.5);
      expect(sorted[sorted.length - 1]).toBeGreaterThanOrEqual(0.99);
    }
  });
});
