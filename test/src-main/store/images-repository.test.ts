import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, tempWorkspace } from './temp-workspace';

describe('ImagesRepository', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let datasetId: number;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    datasetId = ws.datasets.create({ name: 'd' }).id;
    for (let i = 0; i < 25; i++) ws.images.insert(fakeImage(datasetId, `img_${String(i).padStart(2, '0')}.png`));
  });
  afterEach(() => t.dispose());

  it('pages in name order with the total', () => {
    const first = ws.images.list({ datasetId, limit: 10 });
    expect(first.total).toBe(25);
    expect(first.items.map((i) => i.name)).toEqual(Array.from({ length: 10 }, (_, i) => `img_${String(i).padStart(2, '0')}.png`));
    const last = ws.images.list({ datasetId, offset: 20, limit: 10 });
    expect(last.items.map((i) => i.name)).toEqual(['img_20.png', 'img_21.png', 'img_22.png', 'img_23.png', 'img_24.png']);
    expect(ws.images.list({ datasetId, offset: 30 }).items).toEqual([]);
  });

  it('filters by annotation state, split and name', () => {
    const page = ws.images.list({ datasetId, limit: 100 }).items;
    ws.annotations.save(page[3].id, { classMap: new Uint8Array(48).fill(1), instanceMap: new Uint32Array(48) });
    ws.images.setSplit([page[3].id, page[4].id], 'train');
    ws.images.setSplit([page[5].id], 'test');
    expect(ws.images.list({ datasetId, annotated: true }).items.map((i) => i.id)).toEqual([page[3].id]);
    expect(ws.images.list({ datasetId, annotated: false }).total).toBe(24);
    expect(ws.images.list({ datasetId, split: 'train' }).items.map((i) => i.id)).toEqual([page[3].id, page[4].id]);
    expect(ws.images.list({ datasetId, split: 'none' }).total).toBe(22);
    expect(ws.images.list({ datasetId, split: 'train', annotated: true }).total).toBe(1);
    expect(ws.images.list({ datasetId, name: 'IMG_1' }).total).toBe(10);
    // LIKE wildcards in the filter are literal.
    expect(ws.images.list({ datasetId, name: '%' }).total).toBe(0);
    expect(ws.images.list({ datasetId, name: 'g_2_' }).total).toBe(0);
  });

  it('steps to the previous and next image in name order, and to the nearest unannotated one, wrapping round', () => {
    const page = ws.images.list({ datasetId, limit: 100 }).items;
    const id = (k: number) => page[k].id;
    expect(ws.images.neighbour(id(3), 'next')).toBe(id(4));
    expect(ws.images.neighbour(id(3), 'previous')).toBe(id(2));
    expect(ws.images.neighbour(id(0), 'previous')).toBeNull();
    expect(ws.images.neighbour(id(24), 'next')).toBeNull();
    // Name order ignores case, as the Library lists them.
    const upper = ws.images.insert(fakeImage(datasetId, 'IMG_03b.png')).id;
    expect(ws.images.neighbour(id(3), 'next')).toBe(upper);
    expect(ws.images.neighbour(upper, 'next')).toBe(id(4));
    const annotate = (k: number) => ws.annotations.save(id(k), { classMap: new Uint8Array(48).fill(1), instanceMap: new Uint32Array(48) });
    annotate(4);
    annotate(5);
    expect(ws.images.neighbour(upper, 'next', true)).toBe(id(6));
    expect(ws.images.neighbour(id(6), 'previous', true)).toBe(upper);
    for (let k = 6; k < 25; k++) annotate(k);
    // Past the last unannotated image the search starts again from the first.
    expect(ws.images.neighbour(id(3), 'next', true)).toBe(upper);
    expect(ws.images.neighbour(upper, 'next', true)).toBe(id(0));
    expect(() => ws.images.neighbour(99_999, 'next')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('says how the latest annotation was made and which run\'s prediction it came from', () => {
    const [a] = ws.images.list({ datasetId, limit: 1 }).items;
    const maps = (fill: number) => ({ classMap: new Uint8Array(48).fill(fill), instanceMap: new Uint32Array(48) });
    expect(ws.images.get(a.id)).toMatchObject({ annotationVersion: 0, annotationSource: null, predictionRunId: null });
    ws.annotations.save(a.id, { ...maps(1), source: 'paint' });
    expect(ws.images.get(a.id)).toMatchObject({ annotationVersion: 1, annotationSource: 'paint', predictionRunId: null });
    ws.annotations.save(a.id, { ...maps(2), source: 'prediction', predictionRunId: 7 });
    expect(ws.images.get(a.id)).toMatchObject({ annotationVersion: 2, annotationSource: 'prediction', predictionRunId: 7 });
    // Corrected by hand: still from run 7.
    ws.annotations.save(a.id, { ...maps(1), source: 'paint' });
    expect(ws.images.list({ datasetId, limit: 1 }).items[0]).toMatchObject({ annotationVersion: 3, annotationSource: 'paint', predictionRunId: 7 });
    // A mask imported since replaces what the prediction gave.
    ws.annotations.save(a.id, { ...maps(2), source: 'import' });
    expect(ws.images.get(a.id)).toMatchObject({ annotationVersion: 4, annotationSource: 'import', predictionRunId: null });
    expect(ws.annotations.history(a.id).map((v) => [v.version, v.source, v.predictionRunId])).toEqual([
      [4, 'import', null],
      [3, 'paint', null],
      [2, 'prediction', 7],
      [1, 'paint', null],
    ]);
  });

  it('refuses a path twice in one data set and unknown ids', () => {
    expect(() => ws.images.insert(fakeImage(datasetId, 'img_00.png'))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => ws.images.insert(fakeImage(999, 'x.png'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => ws.images.setSplit([12345], 'train')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('returns the training set with latest annotation versions, and protects images used by runs', () => {
    const [a, b, c] = ws.images.list({ datasetId, limit: 3 }).items;
    ws.images.setSplit([a.id, b.id, c.id], 'train');
    const maps = { classMap: new Uint8Array(48).fill(1), instanceMap: new Uint32Array(48) };
    ws.annotations.save(a.id, maps);
    ws.annotations.save(a.id, { ...maps, classMap: new Uint8Array(48).fill(2) });
    ws.annotations.save(b.id, maps);
    const set = ws.trainingSet(datasetId, 'train');
    expect(set.map((s) => [s.imageId, s.annotationVersion])).toEqual([
      [a.id, 2],
      [b.id, 1],
    ]);
    expect(set[0].annotationVersionId).toBe(ws.annotations.latest(a.id)?.id);
    const run = ws.runs.create({
      datasetId,
      config: {},
      seed: 1,
      backend: 'cpu',
      device: 'cpu',
      appVersion: '0',
      tfjsVersion: '4',
      images: set.map((s) => ({ imageId: s.imageId, split: s.split, annotationVersionId: s.annotationVersionId })),
    });
    expect(() => ws.images.remove([a.id, c.id])).toThrow(expect.objectContaining({ code: 'CONFLICT', details: { runIds: [run.id] } }));
    expect(ws.images.count(datasetId)).toBe(25);
    expect(ws.images.remove([c.id])).toBe(1);
    ws.runs.setStatus(run.id, 'failed');
    ws.runs.delete(run.id);
    expect(ws.images.remove([a.id])).toBe(1);
  });
});
