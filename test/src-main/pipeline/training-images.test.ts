import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import { readImage } from '../../../src-main/io/read-image';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { loadTrainingImages, planTraining } from '../../../src-main/pipeline/training-images';
import { backgroundLevel } from '../../../src-shared/imaging/background-polarity';
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

describe('loadTrainingImages with backgrounds of both kinds', () => {
  let mixedId: number;

  beforeAll(async () => {
    // Six blob images with their masks; three of them inverted (dark cells on a bright background, as H&E or bright-field).
    const data = await writeBlobFolders(path.join(dir, 'mixed'), { count: 6, seed: 20 });
    for (const name of data.names.slice(0, 3)) {
      const image = await readImage(path.join(data.images, name));
      await writeLabelImage(path.join(data.images, name), Uint8Array.from(image.data as ArrayLike<number>, (v) => 255 - v), image.width, image.height);
    }
    const created = await ctx.dispatch('datasets.create', { name: 'mixed' });
    if (!created.ok) throw new Error(created.error.message);
    mixedId = (created.value as { id: number }).id;
    const job = await ctx.dispatch('images.import', { datasetId: mixedId, paths: [path.join(dir, 'mixed')] });
    if (!job.ok) throw new Error(job.error.message);
    await ctx.jobs.wait((job.value as { id: string }).id);
  });

  it('per image: inverts the bright-background images so that every image has a dark background, and records it', async () => {
    const ws = ctx.workspace.current;
    const plan = planTraining(ws, mixedId, 4);
    const raw = await loadTrainingImages(ws, plan, undefined, { kind: 'percentile-per-image', lowPct: 1, highPct: 99.8, invertBrightBackground: false });
    const levels = [...raw.train, ...raw.validation].map((s) => backgroundLevel(s.image));
    expect(levels.filter((l) => l > 0.5).length).toBe(3);

    const loaded = await loadTrainingImages(ws, plan, undefined, 'per-image');
    expect(loaded.normalization).toEqual({ kind: 'percentile-per-image', lowPct: 1, highPct: 99.8, invertBrightBackground: true });
    for (const s of [...loaded.train, ...loaded.validation]) expect(backgroundLevel(s.image)).toBeLessThan(0.2);
    // Inverted images keep their annotation: the cells are now the bright pixels.
    const sample = loaded.train[0];
    let inside = 0;
    let outside = 0;
    for (let p = 0; p < sample.image.length; p++) (sample.classMap[p] >= 2 ? (inside += sample.image[p]) : (outside += sample.image[p]));
    expect(inside / sample.classMap.filter((c) => c >= 2).length).toBeGreaterThan(outside / sample.classMap.filter((c) => c < 2).length);
  });

  it('one normalisation for the data set, and a data set of dark backgrounds only, invert nothing', async () => {
    const ws = ctx.workspace.current;
    const dataset = await loadTrainingImages(ws, planTraining(ws, mixedId, 4));
    expect(dataset.normalization.kind).toBe('percentile');
    expect(dataset.normalization).not.toHaveProperty('invertBrightBackground');
    const dark = await loadTrainingImages(ws, planTraining(ws, datasetId, 11), undefined, 'per-image');
    expect(dark.normalization).toEqual({ kind: 'percentile-per-image', lowPct: 1, highPct: 99.8 });
  });
});

