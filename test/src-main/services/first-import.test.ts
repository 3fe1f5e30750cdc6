import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetImport, ImportResult } from '../../../src-shared/contract/images';
import type { DatasetSummary, ImagePage } from '../../../src-shared/contract/records';
import { DEMO_DATASET_NAME } from '../../../src-main/pipeline/demo-dataset';
import { createStoreApp, type StoreApp } from './store-app';

/** Waits for the job of a data set import and returns its result. */
async function finished(app: StoreApp, started: DatasetImport): Promise<ImportResult> {
  const job = await app.ctx.jobs.wait(started.job.id);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as ImportResult;
}

describe('images.importAsDataset', () => {
  let app: StoreApp;
  beforeEach(() => (app = createStoreApp()));
  afterEach(() => app.dispose());

  it('creates a data set named after the folder and imports into it, as one call', async () => {
    const folder = app.copyFixture('tiny');
    const started = await app.call<DatasetImport>('images.importAsDataset', { paths: [folder] });
    expect(started.dataset.name).toBe('tiny');
    expect(started.job.kind).toBe('import');
    expect(await finished(app, started)).toMatchObject({ imported: 4, annotated: 3, failures: [] });
    const [summary] = await app.call<DatasetSummary[]>('datasets.list');
    expect(summary).toMatchObject({ id: started.dataset.id, name: 'tiny', imageCount: 4, annotatedCount: 3 });
    expect(app.events.some((e) => e.channel === 'datasets.changed' && (e.payload as { reason: string }).reason === 'created')).toBe(true);

    // An images/ folder is named after its parent; a taken name gets a number; a given name is used.
    const again = await app.call<DatasetImport>('images.importAsDataset', { paths: [path.join(folder, 'images')] });
    expect(again.dataset.name).toBe('tiny 2');
    await finished(app, again);
    const named = await app.call<DatasetImport>('images.importAsDataset', { paths: [folder], name: 'Nuclei, March' });
    expect(named.dataset.name).toBe('Nuclei, March');
    await finished(app, named);
  });

  it('creates nothing for a folder without images, a missing path or a refused one', async () => {
    const empty = path.join(app.tmp, 'empty');
    mkdirSync(empty);
    expect(await app.fail('images.importAsDataset', { paths: [empty] })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no TIFF, PNG or JPEG image') });
    expect(await app.fail('images.importAsDataset', { paths: [path.join(app.tmp, 'nowhere')] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await app.call<DatasetSummary[]>('datasets.list')).toEqual([]);

    const guarded = createStoreApp({ isPathAllowed: (p) => p.startsWith(path.join(app.tmp, 'allowed')) });
    try {
      expect(await guarded.fail('images.importAsDataset', { paths: [app.copyFixture('tiny')] })).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(await guarded.call<DatasetSummary[]>('datasets.list')).toEqual([]);
    } finally {
      await guarded.dispose();
    }
  });
});

describe('datasets.openDemo', () => {
  let app: StoreApp;
  // Browser mode with no allowed root at all: the demo is the app's own data, not a caller's path.
  beforeEach(() => (app = createStoreApp({ isPathAllowed: () => false })));
  afterEach(() => app.dispose());

  const splitCount = async (datasetId: number, split: string, annotated?: boolean) =>
    (await app.call<ImagePage>('images.list', { datasetId, split, annotated, limit: 1 })).total;

  it('imports the bundled images with their masks through an import job and puts them in their splits', async () => {
    const started = await app.call<DatasetImport>('datasets.openDemo');
    expect(started.dataset.name).toBe(DEMO_DATASET_NAME);
    expect(started.job).toMatchObject({ kind: 'import', title: expect.stringContaining('12 image(s)') });
    expect(await finished(app, started)).toMatchObject({ imported: 12, annotated: 12, failures: [] });
    const id = started.dataset.id;
    expect([await splitCount(id, 'train', true), await splitCount(id, 'validation', true), await splitCount(id, 'test', true)]).toEqual([6, 2, 4]);
    const test = (await app.call<ImagePage>('images.list', { datasetId: id, split: 'test' })).items.map((i) => i.name);
    expect(test).toEqual(['02_fluor_256x256.png', '06_fluor_256x256.png', '10_fluor_256x256.png', '25_fluor_360x360.png']);

    // Opening it again fills up the same data set instead of making another, and keeps the user's splits.
    const firstTest = (await app.call<ImagePage>('images.list', { datasetId: id, split: 'test' })).items[0].id;
    await app.call('images.setSplit', { ids: [firstTest], split: 'train' });
    const again = await app.call<DatasetImport>('datasets.openDemo');
    expect(again.dataset.id).toBe(id);
    expect(await finished(app, again)).toMatchObject({ imported: 0, skipped: 12 });
    expect(await app.call<DatasetSummary[]>('datasets.list')).toHaveLength(1);
    expect(await splitCount(id, 'test')).toBe(3);
  });
});
