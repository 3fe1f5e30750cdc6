import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationExportResult } from '../../../src-shared/contract/datasets';
import type { AnnotationData, ClassDef, DatasetDetail, DatasetSummary, ImagePage } from '../../../src-shared/contract/records';
import { readImage } from '../../../src-main/io/read-image';
import { createStoreApp, FIXTURES, type StoreApp } from './store-app';

describe('datasets service', () => {
  let app: StoreApp;
  beforeEach(() => {
    app = createStoreApp();
  });
  afterEach(() => app.dispose());

  it('creates, lists, renames, describes and deletes through the contract', async () => {
    const created = await app.call<DatasetDetail>('datasets.create', { name: 'PhC-U373' });
    expect(created).toMatchObject({ name: 'PhC-U373', description: '', imageCount: 0 });
    await app.call('datasets.create', { name: 'DIC-HeLa', description: 'sequence 01' });
    expect((await app.call<DatasetSummary[]>('datasets.list')).map((d) => d.name)).toEqual(['DIC-HeLa', 'PhC-U373']);
    expect((await app.call<DatasetDetail>('datasets.rename', { id: created.id, name: 'U373' })).name).toBe('U373');
    expect((await app.call<DatasetDetail>('datasets.setDescription', { id: created.id, description: 'glioblastoma' })).description).toBe('glioblastoma');
    expect(await app.call('datasets.delete', { id: created.id })).toEqual({ id: created.id, runsDeleted: 0 });
    expect((await app.fail('datasets.get', { id: created.id })).code).toBe('NOT_FOUND');
    expect(app.events.filter((e) => e.channel === 'datasets.changed').map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'created',
      'created',
      'renamed',
      'described',
      'deleted',
    ]);
  });

  it('answers bad input with typed errors', async () => {
    expect((await app.fail('datasets.create', { name: '' })).code).toBe('INVALID_ARGUMENT');
    await app.call('datasets.create', { name: 'cells' });
    expect((await app.fail('datasets.create', { name: 'Cells' })).code).toBe('CONFLICT');
    expect((await app.fail('datasets.rename', { id: 77, name: 'x' })).code).toBe('NOT_FOUND');
    expect((await app.fail('datasets.setClasses', { id: 1, classes: [{ value: 2, name: 'cell', color: '#ff0000' }] })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('datasets.setClasses', { id: 1, classes: [{ value: 1, name: 'bg', color: 'blue' }] })).code).toBe('INVALID_ARGUMENT');
  });

  it('sets the class palette and returns it with the data set', async () => {
    const d = await app.call<DatasetDetail>('datasets.create', {
      name: 'three classes',
      classes: [
        { value: 1, name: 'background', color: '#000000' },
        { value: 2, name: 'nucleus', color: '#ff0000' },
      ],
    });
    const classes = await app.call<ClassDef[]>('datasets.setClasses', {
      id: d.id,
      classes: [...d.classes, { value: 3, name: 'mitotic', color: '#00FF00' }],
    });
    expect(classes.map((c) => c.name)).toEqual(['background', 'nucleus', 'mitotic']);
    expect((await app.call<DatasetDetail>('datasets.get', { id: d.id })).classes[2]).toEqual({ value: 3, name: 'mitotic', color: '#00ff00' });
  });

  it('keeps a data set with runs unless deletion is forced', async () => {
    const d = await app.call<DatasetDetail>('datasets.create', { name: 'with runs' });
    const store = app.ctx.workspace.current;
    const run = store.runs.create({ datasetId: d.id, config: {}, seed: 1, backend: 'cpu', device: 'cpu', appVersion: '0', tfjsVersion: '4', images: [] });
    expect(await app.fail('datasets.delete', { id: d.id })).toMatchObject({ code: 'CONFLICT', details: { runs: 1 } });
    store.runs.setStatus(run.id, 'running');
    expect((await app.fail('datasets.delete', { id: d.id, force: true })).code).toBe('CONFLICT');
    store.runs.setStatus(run.id, 'cancelled');
    expect(await app.call('datasets.delete', { id: d.id, force: true })).toEqual({ id: d.id, runsDeleted: 1 });
    expect(store.runs.list()).toEqual([]);
  });

  it.each(['tiff', 'png'] as const)('exports the latest annotations as %s label images', async (format) => {
    const d = await app.call<DatasetDetail>('datasets.create', { name: 'export me' });
    await app.job('images.import', { datasetId: d.id, paths: [path.join(FIXTURES, 'tiny')] });
    // A calibrated image: its label TIFFs must carry the pixel size for Fiji.
    app.ctx.workspace.current.db.prepare("UPDATE images SET pixel_size_um = 0.5 WHERE name = 'cells_03.tif'").run();
    const job = await app.job('datasets.exportAnnotations', { id: d.id, format });
    expect(job.status).toBe('succeeded');
    const result = job.result as AnnotationExportResult;
    expect(result).toMatchObject({ written: 3, skipped: 1 });
    expect(path.dirname(result.folder)).toBe(app.ctx.workspace.current.exportsDir);
    const ext = format === 'png' ? '.png' : '.tif';
    expect(readdirSync(path.join(result.folder, 'classes')).sort()).toEqual(['cells_01', 'cells_02', 'cells_03'].map((n) => n + ext));
    const image = (await app.call<ImagePage>('images.list', { datasetId: d.id, name: 'cells_03' })).items[0];
    const annotation = await app.call<AnnotationData>('annotations.get', { imageId: image.id });
    const classes = await readImage(path.join(result.folder, 'classes', `cells_03${ext}`));
    const instances = await readImage(path.join(result.folder, 'instances', `cells_03${ext}`));
    expect(classes.dtype).toBe('uint8');
    expect([...classes.data]).toEqual([...annotation.classMap]);
    expect(instances.dtype).toBe('uint16');
    expect([...instances.data]).toEqual([...annotation.instanceMap]);
    const calibrated = format === 'tiff' ? { x: 0.5, y: 0.5, unit: 'µm' } : undefined;
    expect(classes.pixelSize).toEqual(calibrated);
    expect(instances.pixelSize).toEqual(calibrated);
    expect(existsSync(path.join(result.folder, 'classes', `cells_04${ext}`))).toBe(false);
  });

  it('refuses an export folder outside the allowed roots', async () => {
    await app.dispose();
    app = createStoreApp({ isPathAllowed: (p) => !p.startsWith('/forbidden') });
    const d = await app.call<DatasetDetail>('datasets.create', { name: 'x' });
    expect((await app.fail('datasets.exportAnnotations', { id: d.id, folder: '/forbidden/out' })).code).toBe('UNAUTHORIZED');
  });
});
