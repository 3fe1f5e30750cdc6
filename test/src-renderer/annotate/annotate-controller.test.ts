import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import { UnetError } from '../../../src-shared/contract/errors';
import type { AnnotationData } from '../../../src-shared/contract/records';
import { FIRST_PLANE, type ImagePlane } from '../../../src-shared/imaging/image-plane';
import { stackFrameIndex } from '../../../src-shared/imaging/stack-axes';
import { AnnotateController } from '../../../src-renderer/src/lib/annotate/annotate-controller.svelte';

const W = 4;
const H = 3;

function annotation(version: number, fill = 0): AnnotationData {
  return { imageId: 7, version, width: W, height: H, classMap: new Uint8Array(W * H).fill(fill), instanceMap: new Uint32Array(W * H), createdAt: null, author: null, source: null };
}

function fakeApi() {
  let stored = annotation(2);
  const api = {
    images: {
      get: vi.fn(async () => ({ id: 7, datasetId: 3, name: 'a.tif', width: W, height: H, frames: 2, channels: 1, dtype: 'uint16' })),
      read: vi.fn(async ({ frame = 0 }: { frame?: number }) => ({ width: W, height: H, channels: 1, dtype: 'uint16', data: Uint16Array.from({ length: W * H }, (_, i) => 1000 * (frame + 1) + i), frame, frames: 2, region: { x: 0, y: 0, width: W, height: H } })),
    },
    datasets: {
      get: vi.fn(async () => ({ id: 3, plane: FIRST_PLANE, classes: [{ value: 1, name: 'background', color: '#0000ff' }, { value: 2, name: 'cell', color: '#ff0000' }] })),
      setPlane: vi.fn(async ({ plane }: { plane: ImagePlane }) => ({ id: 3, plane })),
    },
    annotations: {
      get: vi.fn(async () => stored),
      save: vi.fn(async ({ baseVersion, classMap, instanceMap }: { baseVersion: number; classMap: Uint8Array; instanceMap: Uint32Array }) => {
        if (baseVersion !== stored.version) throw new UnetError('CONFLICT', `version ${stored.version} was saved since`);
        stored = { ...annotation(stored.version + 1), classMap: classMap.slice(), instanceMap: instanceMap.slice() };
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
});
