import { describe, expect, it, vi } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import { UnetError } from '../../../src-shared/contract/errors';
import type { AnnotationData } from '../../../src-shared/contract/records';
import { FIRST_PLANE } from '../../../src-shared/imaging/image-plane';
import { tileGrid, writeTile, type LabelTile } from '../../../src-shared/imaging/label-tiles';
import { asTiles } from '../../helpers/annotation-tiles';
import { AnnotateController } from '../../../src-renderer/src/lib/annotate/annotate-controller.svelte';
import { CorrectionLoop } from '../../../src-renderer/src/lib/annotate/correction-loop.svelte';

const W = 4;
const H = 3;
// The run's prediction: a 2x2 cell (object 5) on background.
const predictedClass = Uint8Array.from([1, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1]);
const predictedObject = Uint32Array.from([0, 5, 5, 0, 0, 5, 5, 0, 0, 0, 0, 0]);

function annotation(version: number, classMap = new Uint8Array(W * H), instanceMap = new Uint32Array(W * H)): AnnotationData {
  return { imageId: 7, version, width: W, height: H, classMap, instanceMap, createdAt: null, author: null, source: null, predictionRunId: null };
}

function fakeApi() {
  let stored = annotation(1, new Uint8Array(W * H).fill(1));
  const saves: { baseVersion: number; classMap: Uint8Array }[] = [];
  const api = {
    images: {
      get: vi.fn(async ({ id }: { id: number }) => ({ id, datasetId: 3, name: `${id}.tif`, width: W, height: H, frames: 1, channels: 1, dtype: 'uint8' })),
      read: vi.fn(async () => ({ width: W, height: H, channels: 1, dtype: 'uint8', data: new Uint8Array(W * H), frame: 0, frames: 1, axes: null, region: { x: 0, y: 0, width: W, height: H } })),
      neighbour: vi.fn(async ({ direction, unannotated }: { direction: string; unannotated: boolean }) => ({ imageId: unannotated ? 12 : direction === 'next' ? 8 : null })),
    },
    datasets: { get: vi.fn(async () => ({ id: 3, plane: FIRST_PLANE, classes: [{ value: 1, name: 'background', color: '#0000ff' }, { value: 2, name: 'cell', color: '#ff0000' }] })) },
    annotations: {
      tiles: vi.fn(async () => asTiles(stored)),
      saveTiles: vi.fn(async ({ baseVersion, tiles }: { baseVersion: number; tiles: LabelTile[] }) => {
        if (baseVersion !== stored.version) throw new UnetError('CONFLICT', 'saved since');
        const next = annotation(stored.version + 1, stored.classMap.slice(), stored.instanceMap.slice());
        for (const tile of tiles) writeTile(next, tileGrid(W, H), tile);
        saves.push({ baseVersion, classMap: next.classMap.slice() });
        stored = next;
        return { imageId: 7, version: stored.version, createdAt: '', unchanged: false };
      }),
      acceptPrediction: vi.fn(async ({ baseVersion, runId }: { baseVersion: number; runId: number }) => {
        if (baseVersion !== stored.version) throw new UnetError('CONFLICT', 'saved since');
        stored = { ...annotation(stored.version + 1, predictedClass.slice(), predictedObject.slice()), source: 'prediction', predictionRunId: runId };
        return { imageId: 7, version: stored.version, createdAt: '', unchanged: false, runId, width: W, height: H, classMap: predictedClass.slice(), instanceMap: predictedObject.slice() };
      }),
    },
    runs: { list: vi.fn(async () => [{ id: 4, datasetId: 9, name: 'other' }, { id: 6, datasetId: 3, name: 'newer' }, { id: 2, datasetId: 3, name: 'older' }]) },
    segmentation: { predict: vi.fn(async ({ runId, imageId }: { runId: number; imageId: number }) => ({ runId, imageId, width: W, height: H, classMap: predictedClass, probability: new Float32Array(W * H) })) },
  };
  return { api: api as unknown as UnetApi, raw: api, saves, stored: () => stored };
}

describe('correcting the model in Annotate', () => {
  it("offers the data set's runs first, newest first, and asks for a prediction only while shown, once per run and image", async () => {
    const { api, raw } = fakeApi();
    const c = new AnnotateController(() => api);
    const loop = new CorrectionLoop(c, () => api, () => undefined);
    await loop.layer.refreshRuns(3);
    expect(loop.layer.runs.map((r) => r.id)).toEqual([6, 2, 4]);
    expect(loop.layer.runId).toBe(6);
    await loop.layer.load(7);
    expect(raw.segmentation.predict).not.toHaveBeenCalled();
    loop.layer.shown = true;
    await loop.layer.load(7);
    await loop.layer.load(7);
    expect(raw.segmentation.predict).toHaveBeenCalledTimes(1);
    expect(loop.layer).toMatchObject({ status: 'ready', prediction: { runId: 6, imageId: 7 } });
    // A run picked by the user stays picked when the list is refreshed.
    loop.layer.pick(2);
    await loop.layer.refreshRuns(3);
    expect(loop.layer.runId).toBe(2);
  });

  it('accepts the prediction as a new version, shows it saved, and undo brings the painted maps back as the next save', async () => {
    const { api, raw, saves, stored } = fakeApi();
    const c = new AnnotateController(() => api);
    const loop = new CorrectionLoop(c, () => api, () => undefined);
    await c.open(7);
    await loop.layer.refreshRuns(3);
    loop.layer.shown = true;
    // A stroke not saved yet is saved before the prediction replaces it.
    c.session.beginStroke({ x: 3.5, y: 2.5 }, 1, { cls: 2, newObject: true });
    c.session.endStroke();
    // The service announces the new version before it answers: that is this window's own save, not another's.
    const accept = raw.annotations.acceptPrediction.getMockImplementation()!;
    raw.annotations.acceptPrediction.mockImplementationOnce(async (input) => {
      const answer = await accept(input);
      await c.onSavedElsewhere(7, answer.version);
      return answer;
    });
    expect(await loop.accept()).toBe(true);
    expect(c.notice).toBeUndefined();
    expect(c.session.canUndo).toBe(true);
    expect(saves).toHaveLength(1);
    expect(raw.annotations.acceptPrediction).toHaveBeenCalledWith({ imageId: 7, runId: 6, baseVersion: 2 });
    expect([...c.session.maps!.classMap]).toEqual([...predictedClass]);
    expect([...c.session.maps!.instanceMap]).toEqual([...predictedObject]);
    expect([c.autosave.status, c.autosave.version]).toEqual(['saved', 3]);
    expect(loop.layer.acceptMs).toBeGreaterThanOrEqual(0);
    expect(loop.layer.shown).toBe(false);
    expect(stored().source).toBe('prediction');
    // Erase part of it: an ordinary painted version on top.
    c.session.beginStroke({ x: 1.5, y: 0.5 }, 1, { cls: 0, newObject: true });
    c.session.endStroke();
    await c.flush();
    expect(stored().version).toBe(4);
    expect(stored().classMap[1]).toBe(0);
    // Undo twice: the erase, then the accept; what was painted before is saved again.
    c.session.undo();
    c.session.undo();
    await c.flush();
    expect([...stored().classMap]).toEqual([...saves[0].classMap]);
    expect(stored().version).toBe(5);
  });

  it('reports a conflict instead of replacing the maps', async () => {
    const { api, raw } = fakeApi();
    const c = new AnnotateController(() => api);
    const loop = new CorrectionLoop(c, () => api, () => undefined);
    await c.open(7);
    await loop.layer.refreshRuns(3);
    raw.annotations.acceptPrediction.mockRejectedValueOnce(new UnetError('CONFLICT', 'annotation of image 7 changed since version 1'));
    expect(await loop.accept()).toBe(false);
    expect(c.error).toContain('changed since');
    expect(c.session.maps!.classMap.every((v) => v === 1)).toBe(true);
  });

  it('steps to the next image, the next unannotated one, and says when there is none', async () => {
    const { api } = fakeApi();
    const opened: number[] = [];
    const c = new AnnotateController(() => api);
    const loop = new CorrectionLoop(c, () => api, (id) => opened.push(id));
    await c.open(7);
    await loop.step('next', false);
    await loop.step('next', true);
    await loop.step('previous', false);
    expect(opened).toEqual([8, 12]);
    expect(c.notice).toBe('This is the first image of the data set.');
  });
});
