import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/contract/images';
import type { AnnotationData, AnnotationSaveResult, AnnotationTiles, AnnotationVersionInfo, DatasetDetail, ImagePage } from '../../../src-shared/contract/records';
import { createStoreApp, FIXTURES, type StoreApp } from './store-app';

describe('annotations service', () => {
  let app: StoreApp;
  let imageId: number;
  const pixels = 24 * 16;
  beforeEach(async () => {
    app = createStoreApp();
    const dataset = await app.call<DatasetDetail>('datasets.create', { name: 'paint' });
    const job = await app.job('images.import', { datasetId: dataset.id, paths: [path.join(FIXTURES, 'tiny/images/cells_04.png')] });
    expect((job.result as ImportResult).imported).toBe(1);
    imageId = (await app.call<ImagePage>('images.list', { datasetId: dataset.id })).items[0].id;
  });
  afterEach(() => app.dispose());

  const painted = (value: number) => {
    const classMap = new Uint8Array(pixels);
    const instanceMap = new Uint32Array(pixels);
    for (let i = 0; i < 50; i++) {
      classMap[i] = value;
      instanceMap[i] = value === 2 ? 1 : 0;
    }
    return { classMap, instanceMap };
  };

  it('starts from empty maps at version 0, saves versions and keeps history', async () => {
    const empty = await app.call<AnnotationData>('annotations.get', { imageId });
    expect(empty).toMatchObject({ version: 0, width: 24, height: 16, createdAt: null });
    expect(empty.classMap).toEqual(new Uint8Array(pixels));

    const first = await app.call<AnnotationSaveResult>('annotations.save', { imageId, baseVersion: 0, ...painted(2), author: 'lab' });
    expect(first).toMatchObject({ version: 1, unchanged: false });
    const second = await app.call<AnnotationSaveResult>('annotations.save', { imageId, baseVersion: 1, ...painted(1) });
    expect(second.version).toBe(2);

    const latest = await app.call<AnnotationData>('annotations.get', { imageId });
    expect(latest).toMatchObject({ version: 2, source: 'paint' });
    expect(latest.classMap).toEqual(painted(1).classMap);
    expect(latest.instanceMap).toBeInstanceOf(Uint32Array);
    expect((await app.call<AnnotationData>('annotations.get', { imageId, version: 1 })).classMap).toEqual(painted(2).classMap);
    expect((await app.call<AnnotationVersionInfo[]>('annotations.history', { imageId })).map((h) => [h.version, h.labeledPixels])).toEqual([
      [2, 50],
      [1, 50],
    ]);
    expect(app.events.filter((e) => e.channel === 'annotations.saved').map((e) => e.payload)).toEqual([
      { imageId, datasetId: 1, version: 1, source: 'paint' },
      { imageId, datasetId: 1, version: 2, source: 'paint' },
    ]);
  });

  it('answers a stale base version with CONFLICT and restores old versions', async () => {
    await app.call('annotations.save', { imageId, baseVersion: 0, ...painted(2) });
    await app.call('annotations.save', { imageId, baseVersion: 1, ...painted(1) });
    expect(await app.fail('annotations.save', { imageId, baseVersion: 1, ...painted(2) })).toMatchObject({ code: 'CONFLICT', details: { latestVersion: 2 } });
    const restored = await app.call<AnnotationSaveResult>('annotations.restore', { imageId, version: 1, baseVersion: 2 });
    expect(restored.version).toBe(3);
    expect((await app.call<AnnotationData>('annotations.get', { imageId })).classMap).toEqual(painted(2).classMap);
    expect((await app.fail('annotations.restore', { imageId, version: 1, baseVersion: 2 })).code).toBe('CONFLICT');
  });

  it('refuses maps of the wrong type, size or classes', async () => {
    const { classMap, instanceMap } = painted(2);
    expect((await app.fail('annotations.save', { imageId, baseVersion: 0, classMap: Array.from(classMap), instanceMap })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.save', { imageId, baseVersion: 0, classMap, instanceMap: new Int32Array(pixels) })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.save', { imageId, baseVersion: 0, classMap: new Uint8Array(10), instanceMap })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.save', { imageId, baseVersion: 0, ...painted(7) })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.get', { imageId: 999 })).code).toBe('NOT_FOUND');
    expect((await app.fail('annotations.get', { imageId, version: 4 })).code).toBe('NOT_FOUND');
  });

  it('saves and loads the tiles an edit touched, announcing the version as a whole save does', async () => {
    expect(await app.call<AnnotationTiles>('annotations.tiles', { imageId })).toMatchObject({ version: 0, width: 24, height: 16, tileSize: 256, tiles: [] });
    const { classMap, instanceMap } = painted(2);
    const saved = await app.call<AnnotationSaveResult>('annotations.saveTiles', { imageId, baseVersion: 0, tiles: [{ tx: 0, ty: 0, classMap, instanceMap }] });
    expect(saved).toMatchObject({ version: 1, unchanged: false });
    expect(app.events.filter((e) => e.channel === 'annotations.saved').map((e) => e.payload)).toEqual([expect.objectContaining({ imageId, version: 1, source: 'paint' })]);
    expect((await app.call<AnnotationData>('annotations.get', { imageId })).classMap).toEqual(classMap);
    const loaded = await app.call<AnnotationTiles>('annotations.tiles', { imageId });
    expect(loaded.tiles).toEqual([{ tx: 0, ty: 0, classMap, instanceMap }]);
    // A uniform tile travels as one value per map.
    await app.call('annotations.saveTiles', { imageId, baseVersion: 1, tiles: [{ tx: 0, ty: 0, classMap: Uint8Array.of(1), instanceMap: Uint32Array.of(0) }] });
    expect((await app.call<AnnotationData>('annotations.get', { imageId })).classMap).toEqual(new Uint8Array(pixels).fill(1));
    expect((await app.fail('annotations.saveTiles', { imageId, baseVersion: 1, tiles: [{ tx: 0, ty: 0, classMap, instanceMap }] })).code).toBe('CONFLICT');
    expect((await app.fail('annotations.saveTiles', { imageId, baseVersion: 2, tiles: [{ tx: 1, ty: 0, classMap, instanceMap }] })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.saveTiles', { imageId, baseVersion: 2, tiles: [] })).code).toBe('INVALID_ARGUMENT');
    expect((await app.fail('annotations.saveTiles', { imageId, baseVersion: 2, tiles: [{ tx: 0, ty: 0, classMap: [1], instanceMap }] })).code).toBe('INVALID_ARGUMENT');
  });
});
