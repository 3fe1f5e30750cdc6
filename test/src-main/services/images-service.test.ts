import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/contract/images';
import type { AnnotationData, DatasetDetail, ImagePage, ImagePixels, ImageRecord, Thumbnail, VerifyReport } from '../../../src-shared/contract/records';
import { readImage } from '../../../src-main/io/read-image';
import { buildStackTiff, omeXml, planeValue, stackPages } from '../../helpers/stack-tiff';
import { buildPyramidTiff16, halveLevel } from '../../helpers/tiled-tiff';
import { createStoreApp, FIXTURES, type StoreApp } from './store-app';

describe('images service', () => {
  let app: StoreApp;
  let dataset: DatasetDetail;
  beforeEach(async () => {
    app = createStoreApp();
    dataset = await app.call<DatasetDetail>('datasets.create', { name: 'tiny' });
  });
  afterEach(() => app.dispose());

  const importInto = async (paths: string[], extra: Record<string, unknown> = {}) => {
    const job = await app.job('images.import', { datasetId: dataset.id, paths, ...extra });
    expect(job.status).toBe('succeeded');
    return job.result as ImportResult;
  };
  const page = (input: Record<string, unknown> = {}) => app.call<ImagePage>('images.list', { datasetId: dataset.id, ...input });
  const byName = async (name: string) => (await page({ name })).items[0];

  it('imports an images/ + masks/ folder as a job, turning masks into annotations', async () => {
    const result = await importInto([path.join(FIXTURES, 'tiny')]);
    expect(result).toEqual({ datasetId: dataset.id, imported: 4, skipped: 0, annotated: 3, failures: [] });
    const all = await page();
    expect(all.items.map((i) => [i.name, i.width, i.height, i.dtype, i.annotationVersion])).toEqual([
      ['cells_01.png', 24, 16, 'uint8', 1],
      ['cells_02.png', 24, 16, 'uint8', 1],
      ['cells_03.tif', 24, 16, 'uint16', 1],
      ['cells_04.png', 24, 16, 'uint8', 0],
    ]);
    expect(all.items[0].contentHash).toMatch(/^[0-9a-f]{64}$/);

    // A {0,255} mask: two separate discs -> two instances, 0 -> background.
    const a1 = await app.call<AnnotationData>('annotations.get', { imageId: all.items[0].id });
    expect(new Set(a1.classMap)).toEqual(new Set([1, 2]));
    expect(new Set(a1.instanceMap)).toEqual(new Set([0, 1, 2]));
    expect(a1.source).toBe('import');
    // A 16-bit instance label TIFF: touching objects keep their own ids.
    const a3 = await app.call<AnnotationData>('annotations.get', { imageId: all.items[2].id });
    expect(new Set(a3.instanceMap)).toEqual(new Set([0, 5, 9, 40]));
    const mask = await readImage(path.join(FIXTURES, 'tiny/masks/cells_03.tif'));
    expect([...a3.instanceMap]).toEqual([...mask.data]);
    expect([...a3.classMap]).toEqual([...mask.data].map((v) => (v === 0 ? 1 : 2)));

    expect(app.events.find((e) => e.channel === 'images.imported')?.payload).toMatchObject({ datasetId: dataset.id, imported: 4, annotated: 3 });
    expect((await app.call<DatasetDetail>('datasets.get', { id: dataset.id })).annotatedCount).toBe(3);

    // Importing again adds nothing.
    expect(await importInto([path.join(FIXTURES, 'tiny/images')])).toMatchObject({ imported: 0, skipped: 4 });
  });

  it('matches NAME_mask files beside their images and reports unreadable files', async () => {
    expect(await importInto([path.join(FIXTURES, 'sibling')])).toMatchObject({ imported: 2, annotated: 1, failures: [] });
    expect((await byName('a.png')).annotationVersion).toBe(1);
    expect((await byName('b.png')).annotationVersion).toBe(0);
    expect(await byName('a_mask')).toBeUndefined();

    const broken = await importInto([path.join(FIXTURES, 'broken')]);
    expect(broken.imported).toBe(1);
    expect(broken.failures.map((f) => path.basename(f.path)).sort()).toEqual(['garbage.png', 'ok.png']);
    expect(broken.failures.find((f) => f.path.endsWith(path.join('masks', 'ok.png')))?.error).toMatch(/23x16/);
  });

  it('imports single files, without masks when asked', async () => {
    const result = await importInto([path.join(FIXTURES, 'tiny/images/cells_02.png'), path.join(FIXTURES, 'tiny/images/cells_03.tif')], { masks: false });
    expect(result).toMatchObject({ imported: 2, annotated: 0 });
    expect((await importInto([path.join(FIXTURES, 'tiny/images/cells_01.png')])).annotated).toBe(1);
  });

  it('refuses paths outside the allowed roots before starting a job', async () => {
    await app.dispose();
    app = createStoreApp({ isPathAllowed: (p) => p.startsWith(path.join(FIXTURES, 'sibling')) });
    dataset = await app.call<DatasetDetail>('datasets.create', { name: 'tiny' });
    expect((await app.fail('images.import', { datasetId: dataset.id, paths: [path.join(FIXTURES, 'tiny')] })).code).toBe('UNAUTHORIZED');
    expect(app.ctx.jobs.list()).toEqual([]);
    expect((await importInto([path.join(FIXTURES, 'sibling')])).imported).toBe(2);
    expect((await app.fail('images.verify', { datasetId: dataset.id, searchFolders: ['/'] })).code).toBe('UNAUTHORIZED');
  });

  it('serves pixels, regions and cached thumbnails', async () => {
    await importInto([path.join(FIXTURES, 'tiny')]);
    const tif = await byName('cells_03');
    const pixels = await app.call<ImagePixels>('images.read', { id: tif.id });
    expect(pixels).toMatchObject({ width: 24, height: 16, channels: 1, dtype: 'uint16', frame: 0, frames: 1 });
    expect(pixels.data).toBeInstanceOf(Uint16Array);
    const region = await app.call<ImagePixels>('images.read', { id: tif.id, region: { x: 4, y: 2, width: 5, height: 3 } });
    expect(region).toMatchObject({ width: 5, height: 3, region: { x: 4, y: 2, width: 5, height: 3 } });
    expect(region.data[0]).toBe(pixels.data[2 * 24 + 4]);
    expect((await app.fail('images.read', { id: tif.id, frame: 1 })).code).toBe('INVALID_ARGUMENT');

    const thumb = await app.call<Thumbnail>('images.thumbnail', { id: tif.id, size: 16 });
    expect(thumb).toMatchObject({ width: 16, height: 11, mime: 'image/png' });
    const decoded = PNG.sync.read(Buffer.from(thumb.data));
    expect([decoded.width, decoded.height]).toEqual([16, 11]);
    // Contrast is stretched: a 16-bit image with a narrow range still spans dark to bright.
    const grays = [...decoded.data].filter((_, i) => i % 4 === 0);
    expect(Math.min(...grays)).toBeLessThan(40);
    expect(Math.max(...grays)).toBeGreaterThan(215);
    const again = await app.call<Thumbnail>('images.thumbnail', { id: tif.id, size: 16 });
    expect(Buffer.from(again.data).equals(Buffer.from(thumb.data))).toBe(true);
  });

  it('imports an OME-TIFF hyperstack with its pixel size and serves its axes with each plane', async () => {
    const sizes = { C: 2, Z: 3, T: 2 };
    const file = path.join(app.tmp, 'stack.ome.tif');
    writeFileSync(file, buildStackTiff({ width: 6, height: 4, pages: stackPages(6, 4, sizes, 'XYZCT'), description: omeXml(sizes, 'XYZCT', { x: 0.2, y: 0.2, unit: 'µm' }) }));
    await importInto([file], { masks: false });
    const image = await byName('stack');
    expect(image).toMatchObject({ frames: 12, pixelSizeUm: expect.closeTo(0.2, 9) });
    const pixels = await app.call<ImagePixels>('images.read', { id: image.id, frame: 2 + 3 * 1 + 6 * 1 });
    expect(pixels.axes).toEqual({ sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYZCT', source: 'ome' });
    expect(pixels.data[0]).toBe(planeValue(1, 2, 1));
  });

  it('serves a stored pyramid level of a pyramidal TIFF for a first look, and none for other files', async () => {
    const file = path.join(app.tmp, 'pyramid.ome.tif');
    const full = { width: 1200, height: 800, data: new Uint16Array(1200 * 800).fill(700) };
    const half = halveLevel(full);
    const quarter = { ...halveLevel(half), data: new Uint16Array(300 * 200).fill(9) };
    writeFileSync(file, buildPyramidTiff16([[full, half, quarter]], { levelsAs: 'subifds' }));
    await importInto([file, path.join(FIXTURES, 'tiny/images/cells_01.png')], { masks: false });
    const image = await byName('pyramid');
    expect(image).toMatchObject({ width: 1200, height: 800, frames: 1 });
    const level = await app.call<ImagePixels & { level: number }>('images.readLevel', { id: image.id, minSide: 256 });
    expect(level).toMatchObject({ level: 2, width: 300, height: 200, region: { x: 0, y: 0, width: 1200, height: 800 } });
    expect(level.data[0]).toBe(9);
    // No frame asked: the data set's plane, here its only frame.
    expect(level.frame).toBe(0);
    expect((await app.call<{ level: number }>('images.readLevel', { id: image.id, minSide: 500 })).level).toBe(1);
    expect(await app.call('images.readLevel', { id: image.id, minSide: 1000 })).toBeNull();
    expect(await app.call('images.readLevel', { id: (await byName('cells_01')).id, minSide: 8 })).toBeNull();
    expect((await app.fail('images.readLevel', { id: image.id, frame: 1, minSide: 8 })).code).toBe('INVALID_ARGUMENT');
  });

  it('generates thumbnails in the background after an import', async () => {
    await importInto([path.join(FIXTURES, 'sibling')]);
    const thumbs = app.ctx.jobs.list().find((j) => j.kind === 'thumbnails');
    expect(thumbs).toBeDefined();
    const done = await app.ctx.jobs.wait(thumbs!.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { made: 2 } });
  });

  it('sets splits for many images and filters by them', async () => {
    await importInto([path.join(FIXTURES, 'tiny')]);
    const items = (await page()).items;
    expect(await app.call('images.setSplit', { ids: [items[0].id, items[1].id], split: 'train' })).toEqual({ updated: 2 });
    expect(await app.call('images.setSplit', { ids: [items[2].id], split: 'test' })).toEqual({ updated: 1 });
    expect((await page({ split: 'train' })).items.map((i) => i.name)).toEqual(['cells_01.png', 'cells_02.png']);
    expect((await page({ split: 'none' })).total).toBe(1);
    expect((await page({ annotated: false })).items.map((i) => i.name)).toEqual(['cells_04.png']);
    expect((await page({ limit: 2, offset: 2 })).items.map((i) => i.name)).toEqual(['cells_03.tif', 'cells_04.png']);
    expect(await app.call('images.setSplit', { ids: [items[0].id], split: null })).toEqual({ updated: 1 });
    expect((await app.fail('images.setSplit', { ids: [items[0].id], split: 'holdout' })).code).toBe('INVALID_ARGUMENT');
    expect(app.events.filter((e) => e.channel === 'images.changed').length).toBe(3);
  });

  it('detects changed, missing and moved files', async () => {
    const data = app.copyFixture('tiny');
    await importInto([data]);
    const [one, two, three] = (await page()).items;
    // Touched but identical: still ok. Changed bytes: changed. Moved: found by content.
    writeFileSync(one.path, readFileSync(one.path));
    appendFileSync(two.path, Buffer.from([0]));
    const movedTo = path.join(app.tmp, 'elsewhere');
    mkdirSync(movedTo);
    renameSync(three.path, path.join(movedTo, 'renamed.tif'));

    const report = await app.call<VerifyReport>('images.verify', { datasetId: dataset.id });
    expect(report).toMatchObject({ checked: 4, ok: 2, changed: [{ id: two.id }], missing: [{ id: three.id }], moved: [] });
    expect((await app.call<ImageRecord>('images.get', { id: two.id })).fileStatus).toBe('changed');
    expect((await app.fail('images.read', { id: three.id })).code).toBe('NOT_FOUND');

    const search = await app.call<VerifyReport>('images.verify', { ids: [three.id], searchFolders: [app.tmp], relocate: true });
    expect(search.moved).toEqual([{ id: three.id, from: three.path, to: path.join(movedTo, 'renamed.tif'), updated: true }]);
    const relocated = await app.call<ImageRecord>('images.get', { id: three.id });
    expect(relocated).toMatchObject({ path: path.join(movedTo, 'renamed.tif'), name: 'renamed.tif', fileStatus: 'ok', annotationVersion: 1 });
  });

  it('removes images unless a run used them', async () => {
    await importInto([path.join(FIXTURES, 'sibling')]);
    const [a, b] = (await page()).items;
    const store = app.ctx.workspace.current;
    store.runs.create({ datasetId: dataset.id, config: {}, seed: 1, backend: 'cpu', device: 'cpu', appVersion: '0', tfjsVersion: '4', images: [{ imageId: a.id, split: 'train', annotationVersionId: null }] });
    expect((await app.fail('images.remove', { ids: [a.id] })).code).toBe('CONFLICT');
    expect(await app.call('images.remove', { ids: [b.id] })).toEqual({ removed: 1 });
    expect((await page()).total).toBe(1);
  });
});
