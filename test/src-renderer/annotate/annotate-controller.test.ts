import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import { UnetError } from '../../../src-shared/contract/errors';
import type { AnnotationData } from '../../../src-shared/contract/records';
import { FIRST_PLANE, type ImagePlane } from '../../../src-shared/imaging/image-plane';
import { tileGrid, writeTile, type LabelTile } from '../../../src-shared/imaging/label-tiles';
import { stackFrameIndex } from '../../../src-shared/imaging/stack-axes';
import { asTiles } from '../../helpers/annotation-tiles';
import { AnnotateController } from '../../../src-renderer/src/lib/annotate/annotate-controller.svelte';

const W = 4;
const H = 3;

function annotation(version: number, fill = 0, width = W, height = H): AnnotationData {
  return { imageId: 7, version, width, height, classMap: new Uint8Array(width * height).fill(fill), instanceMap: new Uint32Array(width * height), createdAt: null, author: null, source: null };
}

function fakeApi(width = W, height = H) {
  let stored = annotation(2, 0, width, height);
  const api = {
    images: {
      get: vi.fn(async () => ({ id: 7, datasetId: 3, name: 'a.tif', width, height, frames: 2, channels: 1, dtype: 'uint16' })),
      read: vi.fn(async ({ frame = 0 }: { frame?: number }) => ({ width, height, channels: 1, dtype: 'uint16', data: Uint16Array.from({ length: width * height }, (_, i) => 1000 * (frame + 1) + (i % 12)), frame, frames: 2, region: { x: 0, y: 0, width, height } })),
    },
    datasets: {
      get: vi.fn(async () => ({ id: 3, plane: FIRST_PLANE, classes: [{ value: 1, name: 'background', color: '#0000ff' }, { value: 2, name: 'cell', color: '#ff0000' }] })),
      setPlane: vi.fn(async ({ plane }: { plane: ImagePlane }) => ({ id: 3, plane })),
    },
    annotations: {
      tiles: vi.fn(async () => asTiles(stored)),
      saveTiles: vi.fn(async ({ baseVersion, tiles }: { baseVersion: number; tiles: LabelTile[] }) => {
        if (baseVersion !== stored.version) throw new UnetError('CONFLICT', `version ${stored.version} was saved since`);
        const next = { ...annotation(stored.version + 1, 0, width, height), classMap: stored.classMap.slice(), instanceMap: stored.instanceMap.slice() };
        for (const tile of tiles) writeTile(next, tileGrid(width, height), tile);
        stored = next;
        return { imageId: 7, version: stored.version, createdAt: '', unchanged: false };
      }),
    },
  };
  return { api: api as unknown as UnetApi, raw: api, setStored: (a: AnnotationData) => (stored = a), stored: () => stored };
}

describe('annotate controller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads an image with its palette, auto contrast and annotation', async () => {
    const { api } = fakeApi();
    const c = new AnnotateController(() => api);
    await c.open(7);
    expect(c.status).toBe('ready');
    expect(c.classes.map((k) => k.name)).toEqual(['background', 'cell']);
    expect(c.window.min).toBeGreaterThanOrEqual(1000);
    expect(c.window.max).toBeLessThanOrEqual(1011);
    expect(c.autosave.version).toBe(2);
    expect(c.autosave.status).toBe('saved');
    await c.setFrame(1);
    expect(c.pixels!.frame).toBe(1);
    // The window stays as the user set it across frames.
    expect(c.window.max).toBeLessThanOrEqual(1011);
  });

  it('moves through a hyperstack by channel, slice and time', async () => {
    const { api, raw } = fakeApi();
    const axes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT' as const, source: 'ome' as const };
    raw.images.get.mockResolvedValue({ id: 7, datasetId: 3, name: 'a.ome.tif', width: W, height: H, frames: 12, channels: 1, dtype: 'uint16' });
    raw.images.read.mockImplementation(async ({ frame = 0 }: { frame?: number }) => ({ width: W, height: H, channels: 1, dtype: 'uint16', data: new Uint16Array(W * H).fill(frame), frame, frames: 12, axes, region: { x: 0, y: 0, width: W, height: H } }));
    const c = new AnnotateController(() => api);
    await c.open(7);
    expect(c.axes).toEqual(axes);
    expect(c.plane).toEqual({ c: 0, z: 0, t: 0 });
    await c.setPlane('z', 2);
    await c.setPlane('c', 1);
    await c.setPlane('t', 1);
    // XYCZT: frame = c + 2 z + 6 t.
    expect(c.frame).toBe(1 + 2 * 2 + 6);
    expect(c.pixels!.frame).toBe(11);
    expect(c.plane).toEqual({ c: 1, z: 2, t: 1 });
    await c.setPlane('z', 3); // past the end: stays
    expect(c.frame).toBe(11);
  });

  it("opens a hyperstack at its data set's plane and paints only there", async () => {
    const { api, raw } = fakeApi();
    const axes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT' as const, source: 'ome' as const };
    const plane = { c: 1, z: 2, t: 1 };
    raw.images.get.mockResolvedValue({ id: 7, datasetId: 3, name: 'a.ome.tif', width: W, height: H, frames: 12, channels: 1, dtype: 'uint16' });
    raw.datasets.get.mockResolvedValue({ id: 3, plane, classes: [] });
    // Without a frame the service reads the data set's plane.
    raw.images.read.mockImplementation(async ({ frame = stackFrameIndex(axes, plane) }: { frame?: number }) => ({ width: W, height: H, channels: 1, dtype: 'uint16', data: new Uint16Array(W * H).fill(frame), frame, frames: 12, axes, region: { x: 0, y: 0, width: W, height: H } }));
    const c = new AnnotateController(() => api);
    await c.open(7);
    expect(c.plane).toEqual(plane);
    expect(c.pixels!.data[0]).toBe(11);
    expect(c.onDatasetPlane).toBe(true);
    const stroke = () => {
      c.session.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: true });
      return c.session.endStroke();
    };
    expect(stroke()).toBe(true);

    // Another slice is for looking only: a stroke there would pair the annotation with other pixels.
    await c.setPlane('z', 0);
    expect(c.onDatasetPlane).toBe(false);
    expect(c.shownPlane).toEqual({ c: 1, z: 0, t: 1 });
    c.session.beginStroke({ x: 0.5, y: 0.5 }, 1, { cls: 2, newObject: true });
    expect(c.session.endStroke()).toBe(false);
    expect(c.session.fill({ x: 0.5, y: 0.5 }, { cls: 1, newObject: false })).toBe(false);
    expect(c.session.maps!.classMap[0]).toBe(0);
    await c.showDatasetPlane();
    expect([c.frame, c.onDatasetPlane]).toEqual([11, true]);

    // Making the shown plane the data set's asks first when the service says annotations go with it.
    await c.setPlane('z', 0);
    raw.datasets.setPlane.mockRejectedValueOnce(new UnetError('CONFLICT', '1 image(s) of "d" were annotated on channel 2 · slice 3 · time 2'));
    expect(await c.useShownPlane()).toBe(false);
    expect(c.planeConflict).toContain('were annotated on');
    expect(await c.useShownPlane(true)).toBe(true);
    expect(raw.datasets.setPlane).toHaveBeenLastCalledWith({ id: 3, plane: { c: 1, z: 0, t: 1 }, force: true });
    expect([c.datasetPlane, c.onDatasetPlane, c.planeConflict]).toEqual([{ c: 1, z: 0, t: 1 }, true, undefined]);
  });

  it("shows a colour image's chosen sample and locks painting on the others", async () => {
    const { api, raw } = fakeApi();
    raw.images.get.mockResolvedValue({ id: 7, datasetId: 3, name: 'rgb.png', width: W, height: H, frames: 1, channels: 3, dtype: 'uint8' });
    raw.images.read.mockResolvedValue({ width: W, height: H, channels: 3, dtype: 'uint8', data: new Uint8Array(W * H * 3), frame: 0, frames: 1, axes: null, region: { x: 0, y: 0, width: W, height: H } });
    raw.datasets.get.mockResolvedValue({ id: 3, plane: { c: 1, z: 0, t: 0 }, classes: [] });
    const c = new AnnotateController(() => api);
    await c.open(7);
    expect([c.channel, c.onDatasetPlane]).toEqual([1, true]);
    c.setChannel('rgb');
    expect(c.onDatasetPlane).toBe(false);
    // Another data set's change is not this image's.
    await c.onDatasetChanged(4);
    expect(c.datasetPlane).toEqual({ c: 1, z: 0, t: 0 });
    // With no channel chosen, any display of the colour image is the plane (its samples average to the gray trained on).
    raw.datasets.get.mockResolvedValue({ id: 3, plane: FIRST_PLANE, classes: [] });
    await c.onDatasetChanged(3);
    expect([c.datasetPlane, c.onDatasetPlane]).toEqual([FIRST_PLANE, true]);
  });

  it('autosaves a stroke on top of the loaded version', async () => {
    const { api, stored } = fakeApi();
    const c = new AnnotateController(() => api);
    await c.open(7);
    c.session.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: true });
    c.session.endStroke();
    expect(c.autosave.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.autosave.status).toBe('saved');
    expect(stored().version).toBe(3);
    expect(stored().classMap[1 * W + 1]).toBe(2);
  });

  it('on a conflict reloads the newer version and tells the user', async () => {
    const { api, setStored } = fakeApi();
    const c = new AnnotateController(() => api);
    await c.open(7);
    c.session.beginStroke({ x: 0.5, y: 0.5 }, 1, { cls: 2, newObject: true });
    c.session.endStroke();
    setStored(annotation(5, 1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.autosave.status).toBe('conflict');
    expect(c.autosave.version).toBe(5);
    expect(c.session.maps!.classMap.every((v) => v === 1)).toBe(true);
    expect(c.notice).toContain('version 5 was reloaded');
  });

  it('shows a version saved elsewhere when nothing is unsaved here', async () => {
    const { api, setStored } = fakeApi();
    const c = new AnnotateController(() => api);
    await c.open(7);
    setStored(annotation(4, 1));
    await c.onSavedElsewhere(7, 4);
    expect(c.autosave.version).toBe(4);
    expect(c.session.maps!.classMap[0]).toBe(1);
    await c.onSavedElsewhere(8, 9);
    expect(c.autosave.version).toBe(4);
  });

  it('saves pending strokes before opening another image, and reports load failures', async () => {
    const { api, raw, stored } = fakeApi();
    const c = new AnnotateController(() => api);
    await c.open(7);
    c.session.beginStroke({ x: 2.5, y: 2.5 }, 1, { cls: 2, newObject: true });
    c.session.endStroke();
    raw.images.get.mockRejectedValueOnce(new UnetError('NOT_FOUND', 'no image with id 99'));
    await c.open(99);
    expect(stored().version).toBe(3);
    expect(c.status).toBe('error');
    expect(c.error).toBe('no image with id 99');
  });

  it('saves a stroke as the tiles it touched, and loads only the tiles that hold labels', async () => {
    const { api, raw, stored } = fakeApi(600, 520);
    const c = new AnnotateController(() => api);
    await c.open(7);
    c.session.beginStroke({ x: 250.5, y: 300.5 }, 5, { cls: 2, newObject: true });
    c.session.extendStroke({ x: 262.5, y: 300.5 });
    c.session.endStroke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.autosave.status).toBe('saved');
    const sent = raw.annotations.saveTiles.mock.calls[0][0].tiles.map((t: LabelTile) => [t.tx, t.ty]);
    expect(sent).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(stored().classMap[300 * 600 + 256]).toBe(2);
    expect(stored().classMap[300 * 600 + 270]).toBe(0);
    // Undo is an edit of the same tiles.
    c.session.undo();
    await vi.advanceTimersByTimeAsync(1000);
    expect(raw.annotations.saveTiles.mock.calls[1][0].tiles).toHaveLength(2);
    expect(stored().classMap[300 * 600 + 256]).toBe(0);
    c.session.redo();
    await vi.advanceTimersByTimeAsync(1000);
    expect(stored().version).toBe(5);
    const reopened = new AnnotateController(() => api);
    await reopened.open(7);
    expect(reopened.session.maps!.classMap[300 * 600 + 256]).toBe(2);
    expect((await raw.annotations.tiles.mock.results.at(-1)!.value).tiles).toHaveLength(2);
  });

  it('saves again the tiles of a save that failed, and says so meanwhile', async () => {
    const { api, raw, stored } = fakeApi(600, 520);
    const c = new AnnotateController(() => api);
    await c.open(7);
    raw.annotations.saveTiles.mockRejectedValueOnce(new UnetError('IO_ERROR', 'the connection to the U-Net Studio server was lost'));
    c.session.beginStroke({ x: 10.5, y: 10.5 }, 3, { cls: 2, newObject: true });
    c.session.endStroke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.autosave.status).toBe('error');
    expect(c.autosave.message).toMatch(/connection/);
    c.session.beginStroke({ x: 500.5, y: 500.5 }, 3, { cls: 2, newObject: true });
    c.session.endStroke();
    await vi.advanceTimersByTimeAsync(6000);
    expect(c.autosave.status).toBe('saved');
    expect(raw.annotations.saveTiles.mock.calls.at(-1)![0].tiles.map((t: LabelTile) => [t.tx, t.ty])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(stored().classMap[10 * 600 + 10]).toBe(2);
    expect(stored().classMap[500 * 600 + 500]).toBe(2);
  });

  it('tells the user when a stroke painted nothing because it missed the image or the image is not loaded', async () => {
    const { api } = fakeApi();
    const c = new AnnotateController(() => api);
    c.refuse('The image is not ready yet: nothing was painted.');
    expect(c.notice).toMatch(/not ready/);
    await c.open(7);
    c.session.beginStroke({ x: -20, y: -20 }, 3, { cls: 2, newObject: true });
    expect(c.session.finishStroke()).toBe('outside');
    c.refuse('The stroke was outside the image: nothing was painted.');
    c.session.beginStroke({ x: 1.5, y: 1.5 }, 1, { cls: 2, newObject: true });
    expect(c.session.finishStroke()).toBe('changed');
    expect(c.notice).toBeUndefined();
  });

  it('shows a stored lower-resolution level of a large image while its frame loads', async () => {
    const { api, raw } = fakeApi(3000, 2000);
    let finish!: () => void;
    const slow = raw.images.read.getMockImplementation()!;
    raw.images.read.mockImplementationOnce((input: { frame: number }) => new Promise((resolve) => (finish = () => resolve(slow(input)))));
    const level = { width: 750, height: 500, channels: 1, dtype: 'uint16', data: new Uint16Array(750 * 500).fill(40_000), frame: 0, frames: 1, axes: null, region: { x: 0, y: 0, width: 3000, height: 2000 }, level: 2 };
    const readLevel = vi.fn(async () => level);
    (raw.images as Record<string, unknown>).readLevel = readLevel;
    const c = new AnnotateController(() => api);
    const opening = c.open(7);
    await vi.waitFor(() => expect(c.overview).toBe(level));
    expect(readLevel).toHaveBeenCalledWith({ id: 7, minSide: 1024 });
    expect(c.status).toBe('loading');
    expect(c.stats!.max).toBe(40_000);
    finish();
    await opening;
    expect(c.status).toBe('ready');
    expect(c.overview).toBeNull();
    expect(c.stats!.max).toBeLessThan(40_000);
  });
});
