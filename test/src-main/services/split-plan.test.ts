import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import type { DatasetDetail, ImagePage, RunDetail } from '../../../src-shared/contract/records';
import type { TrainingSplitPlan } from '../../../src-shared/contract/training';
import { writeBlobFolders } from '../pipeline/blob-folders';
import { createStoreApp, type StoreApp } from './store-app';

let app: StoreApp;
let dataset: DatasetDetail;
let imageIds: number[];

beforeAll(async () => {
  app = createStoreApp();
  const folder = path.join(app.tmp, 'blobs');
  await writeBlobFolders(folder, { count: 6, width: 96, height: 96 });
  dataset = await app.call<DatasetDetail>('datasets.create', { name: 'blobs' });
  expect((await app.job('images.import', { datasetId: dataset.id, paths: [folder] })).status).toBe('succeeded');
  imageIds = (await app.call<ImagePage>('images.list', { datasetId: dataset.id })).items.map((i) => i.id);
});

afterAll(() => app?.dispose());

const plan = (input: Record<string, unknown>) => app.call<TrainingSplitPlan>('training.planSplit', input);

describe('training.planSplit', () => {
  it('splits annotated images in no split automatically, and the run trains on exactly that split and records it', async () => {
    const preview = await plan({ datasetId: dataset.id, seed: 3 });
    expect(preview).toMatchObject({ mode: 'automatic', seed: 3, validationFraction: 0.2, blocker: null });
    expect([preview.train.length, preview.validation.length]).toEqual([5, 1]);
    expect(preview.counts).toEqual({ train: { images: 0, annotated: 0 }, validation: { images: 0, annotated: 0 }, test: { images: 0, annotated: 0 }, none: { images: 6, annotated: 6 } });
    expect(await plan({ datasetId: dataset.id, seed: 3 })).toEqual(preview);

    const started = await app.call<{ job: JobInfo; runId: number }>('training.start', { datasetId: dataset.id, options: { preset: 'tiny', steps: 1, seed: 3 } });
    const job = await app.ctx.jobs.wait(started.job.id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const run = await app.call<RunDetail>('runs.get', { id: started.runId });
    const membersOf = (split: string) => run.images.filter((m) => m.split === split).map((m) => m.imageId).sort((a, b) => a - b);
    expect(membersOf('train')).toEqual(preview.train.map((i) => i.imageId).sort((a, b) => a - b));
    expect(membersOf('validation')).toEqual(preview.validation.map((i) => i.imageId));
    expect(run.config.split).toEqual({ automatic: true, seed: 3, validationFraction: 0.2, train: 5, validation: 1 });
    // The automatic split is the run's, not the data set's: the images stay in no split.
    expect((await plan({ datasetId: dataset.id })).counts.none.images).toBe(6);
  });

  it("shows the user's split once there is one, and why training would be refused", async () => {
    await app.call('images.setSplit', { ids: imageIds.slice(0, 1), split: 'validation' });
    const onlyValidation = await plan({ datasetId: dataset.id });
    expect(onlyValidation).toMatchObject({ mode: 'manual', train: [], validation: [{ imageId: imageIds[0], name: 'blob-01.png' }] });
    expect(onlyValidation.blocker).toMatch(/no annotated images in its train split/);
    await expect(app.call('training.start', { datasetId: dataset.id, options: { preset: 'tiny', steps: 1 } })).rejects.toThrow(onlyValidation.blocker!);

    await app.call('images.setSplit', { ids: imageIds.slice(1, 4), split: 'train' });
    const manual = await plan({ datasetId: dataset.id, seed: 9 });
    expect(manual).toMatchObject({ mode: 'manual', blocker: null });
    expect(manual.train.map((i) => i.imageId)).toEqual(imageIds.slice(1, 4));
    expect(manual.counts).toMatchObject({ train: { images: 3, annotated: 3 }, validation: { images: 1, annotated: 1 }, none: { images: 2, annotated: 2 } });
  });

  it('names the blocker of an empty data set and refuses an unknown one', async () => {
    const empty = await app.call<DatasetDetail>('datasets.create', { name: 'empty' });
    expect(await plan({ datasetId: empty.id })).toMatchObject({ mode: 'automatic', train: [], validation: [], blocker: 'data set "empty" has no images: import some first' });
    expect(await app.fail('training.planSplit', { datasetId: 9999 })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
