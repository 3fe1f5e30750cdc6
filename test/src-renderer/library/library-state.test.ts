import { describe, expect, it, vi } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import { UnetError } from '../../../src-shared/contract/errors';
import type { ImagePage, ImageRecord } from '../../../src-shared/contract/records';
import type { ImagePlane } from '../../../src-shared/imaging/image-plane';
import { ImagePages } from '../../../src-renderer/src/lib/library/image-pages.svelte';
import { LibraryState } from '../../../src-renderer/src/lib/library/library-state.svelte';
import { ThumbnailCache } from '../../../src-renderer/src/lib/library/thumbnail-cache';

function record(id: number): ImageRecord {
  return { id, datasetId: 1, name: `img-${id}.png` } as ImageRecord;
}

function pageOf(total: number) {
  return vi.fn(async (offset: number, limit: number): Promise<ImagePage> => {
    const items: ImageRecord[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(record(i + 1));
    return { total, offset, limit, items };
  });
}

describe('paged image list', () => {
  it('loads the first page on reset and further pages only when asked', async () => {
    const fetch = pageOf(1000);
    const pages = new ImagePages(fetch, 100);
    await pages.reset();
    expect(pages.total).toBe(1000);
    expect(pages.at(5)?.id).toBe(6);
    expect(pages.at(450)).toBeUndefined();
    pages.ensureRange(420, 520);
    pages.ensureRange(420, 520);
    await vi.waitFor(() => expect(pages.at(519)?.id).toBe(520));
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([0, 400, 500]);
  });

  it('drops answers that arrive after a reset', async () => {
    let release!: () => void;
    const slow = vi.fn(() => new Promise<ImagePage>((resolve) => (release = () => resolve({ total: 5, offset: 0, limit: 10, items: [record(99)] }))));
    const pages = new ImagePages(slow, 10);
    const first = pages.reset();
    const second = pages.reset(pageOf(3));
    release();
    await Promise.all([first, second]);
    expect(pages.total).toBe(3);
    expect(pages.at(0)?.id).toBe(1);
  });

  it('keeps the error readable', async () => {
    const pages = new ImagePages(async () => {
      throw new Error('no data set with id 4');
    });
    await pages.reset();
    expect(pages.error).toBe('no data set with id 4');
  });
});

describe('library state', () => {
  function fakeApi(total: number) {
    const list = vi.fn(async (q: { offset?: number; limit?: number; annotated?: boolean; split?: string; name?: string }) => {
      const fetch = pageOf(total);
      return fetch(q.offset ?? 0, q.limit ?? 100);
    });
    const setSplit = vi.fn(async ({ ids }: { ids: number[] }) => ({ updated: ids.length }));
    const api = { images: { list, setSplit }, datasets: { list: async () => [], planeSizes: async () => ({ c: 1, z: 1, t: 1 }) } } as unknown as UnetApi;
    return { api, list, setSplit };
  }

  it('maps the filters onto images.list', async () => {
    const { api, list } = fakeApi(10);
    const lib = new LibraryState(() => api);
    await lib.open(1);
    await lib.setFilters({ annotated: 'unannotated', split: 'none', name: '  cell ' });
    expect(list).toHaveBeenLastCalledWith({ datasetId: 1, offset: 0, limit: 200, annotated: false, split: 'none', name: 'cell' });
    await lib.setFilters({ annotated: 'all', split: 'validation', name: '' });
    expect(list).toHaveBeenLastCalledWith({ datasetId: 1, offset: 0, limit: 200, annotated: undefined, split: 'validation', name: undefined });
  });

  it('selects single, toggled and Shift ranges, and assigns a split to the selection', async () => {
    const { api, setSplit } = fakeApi(50);
    const lib = new LibraryState(() => api);
    await lib.open(1);
    lib.select(2, 3, 'single');
    lib.select(5, 6, 'range');
    expect([...lib.selection].sort((a, b) => a - b)).toEqual([3, 4, 5, 6]);
    lib.select(3, 4, 'toggle');
    expect(lib.selection.has(4)).toBe(false);
    lib.select(9, 10, 'single');
    expect([...lib.selection]).toEqual([10]);
    await lib.selectAllMatching();
    expect(lib.selection.size).toBe(50);
    expect(await lib.assignSplit('train')).toBe(50);
    expect(setSplit.mock.calls[0][0].split).toBe('train');
  });

  it("chooses the data set's plane, asking first when the service says annotated images go with it", async () => {
    let plane: ImagePlane = { c: null, z: 0, t: 0 };
    const setPlane = vi.fn(async (input: { plane: ImagePlane; force: boolean }) => {
      if (!input.force) throw new UnetError('CONFLICT', '2 image(s) of "cells" were annotated on the first plane: their annotations would train and be scored on channel 2 · slice 1 · time 1 instead');
      plane = input.plane;
      return { id: 1, plane };
    });
    const api = {
      images: { list: pageOf(3) },
      datasets: { list: async () => [{ id: 1, name: 'cells', plane }], planeSizes: async () => ({ c: 2, z: 3, t: 1 }), setPlane },
    } as unknown as UnetApi;
    const lib = new LibraryState(() => api);
    await lib.refreshDatasets();
    await lib.open(1);
    expect(lib.planeSizes).toEqual({ c: 2, z: 3, t: 1 });
    expect(await lib.setPlane({ c: 1, z: 0, t: 0 })).toBe(false);
    expect(lib.planeConflict).toEqual({ plane: { c: 1, z: 0, t: 0 }, message: expect.stringContaining('were annotated on the first plane') });
    expect(lib.current?.plane).toEqual({ c: null, z: 0, t: 0 });
    expect(await lib.setPlane({ c: 1, z: 0, t: 0 }, true)).toBe(true);
    expect([lib.planeConflict, lib.current?.plane, lib.error]).toEqual([null, { c: 1, z: 0, t: 0 }, undefined]);
    setPlane.mockRejectedValueOnce(new UnetError('INVALID_ARGUMENT', 'b.tif has no slice 4 (it has 3)'));
    expect(await lib.setPlane({ c: 1, z: 3, t: 0 }, true)).toBe(false);
    expect(lib.error).toBe('b.tif has no slice 4 (it has 3)');
  });

  /** An empty workspace whose import calls create a data set and hand back its running import job. */
  function emptyWorkspaceApi() {
    const datasets: { id: number; name: string }[] = [];
    const job = { id: 'job-7', kind: 'import', title: 'Import', status: 'running', progress: 0, message: '', createdAt: '' };
    const created = (name: string) => {
      const dataset = { id: datasets.length + 1, name };
      datasets.push(dataset);
      return { dataset, job };
    };
    const importAsDataset = vi.fn(async (input: { paths: string[] }) => created(input.paths[0].split('/').pop()!));
    const openDemo = vi.fn(async () => created('Demo: DSB 2018 nuclei'));
    const api = {
      images: { list: pageOf(0), importAsDataset },
      datasets: { list: async () => [...datasets], openDemo, planeSizes: async () => ({ c: 1, z: 1, t: 1 }) },
    } as unknown as UnetApi;
    return { api, importAsDataset, openDemo };
  }

  it('imports a folder into an empty workspace in one step and opens the new data set', async () => {
    const { api, importAsDataset } = emptyWorkspaceApi();
    const lib = new LibraryState(() => api);
    await lib.refreshDatasets();
    expect(lib.datasets).toEqual([]);
    const dataset = await lib.importAsDataset(['/data/exp12'], { recursive: false, masks: true });
    expect(importAsDataset).toHaveBeenCalledWith({ paths: ['/data/exp12'], recursive: false, masks: true });
    expect(dataset?.name).toBe('exp12');
    expect(lib.datasetId).toBe(dataset?.id);
    expect(lib.current?.name).toBe('exp12');
    expect(lib.importJob?.id).toBe('job-7');
    expect(lib.onJobUpdate({ ...lib.importJob!, status: 'succeeded', progress: 100 })).toBe(true);
  });

  it('opens the demo data set through its import job, and keeps a refusal readable', async () => {
    const { api, openDemo } = emptyWorkspaceApi();
    const lib = new LibraryState(() => api);
    const dataset = await lib.openDemo();
    expect(openDemo).toHaveBeenCalledTimes(1);
    expect(lib.current?.name).toBe('Demo: DSB 2018 nuclei');
    expect(lib.importJob?.kind).toBe('import');

    openDemo.mockRejectedValueOnce(new Error('an import into Demo: DSB 2018 nuclei is already running'));
    expect(await lib.openDemo()).toBeUndefined();
    expect(lib.error).toBe('an import into Demo: DSB 2018 nuclei is already running');
    expect(lib.datasetId).toBe(dataset?.id);
  });
});

describe('thumbnail cache', () => {
  it('fetches each thumbnail once, at most N at a time, newest request first', async () => {
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const fetchBytes = (id: number) =>
      new Promise<Uint8Array>((resolve) => {
        started.push(id);
        finish.set(id, () => resolve(new Uint8Array([id])));
      });
    const cache = new ThumbnailCache(fetchBytes, { concurrency: 2, capacity: 3, createUrl: (b) => `url:${b[0]}`, revokeUrl: () => {} });
    const p1 = cache.load(1);
    const p2 = cache.load(2);
    void cache.load(3);
    void cache.load(4);
    expect(started).toEqual([1, 2]);
    finish.get(1)!();
    expect(await p1).toBe('url:1');
    await vi.waitFor(() => expect(started).toEqual([1, 2, 4]));
    finish.get(2)!();
    await p2;
    await vi.waitFor(() => expect(started).toEqual([1, 2, 4, 3]));
    expect(await cache.load(1)).toBe('url:1');
    expect(started.filter((i) => i === 1).length).toBe(1);
  });

  it('drops aborted requests and revokes the least recently used URL beyond capacity', async () => {
    const revoked: string[] = [];
    const cache = new ThumbnailCache(async (id) => new Uint8Array([id]), { concurrency: 1, capacity: 2, createUrl: (b) => `u${b[0]}`, revokeUrl: (u) => revoked.push(u) });
    await cache.load(1);
    await cache.load(2);
    cache.get(1);
    await cache.load(3);
    expect(revoked).toEqual(['u2']);
    const controller = new AbortController();
    const blocker = cache.load(10);
    const aborted = cache.load(11, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toThrow('no longer needed');
    await blocker;
    expect(cache.get(11)).toBeUndefined();
  });
});
