import { checkImageFile } from '../store/image-file-check';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImagesChanged, ImagesImported, imagesService } from '../../src-shared/contract/images';
import { isFinished } from '../../src-shared/contract/jobs';
import type { ImagePixels, ImageRecord } from '../../src-shared/contract/records';
import type { StackAxes } from '../../src-shared/imaging/stack-axes';
import { findImportFiles } from '../store/import/find-import-files';
import { importImages } from '../store/import/import-images';
import { allowedPath } from '../store/path-access';
import type { StoreContext } from '../store/store-context';
import { loadThumbnail } from '../store/thumbnails';
import { verifyImages } from '../store/verify-images';

/** Thumbnails made ahead of time after an import, at the size the image grid asks for. */
export const GRID_THUMBNAIL_SIZE = 256;

export function createImagesService(ctx: StoreContext): ServiceImpl<typeof imagesService> {
  const changed = (payload: ImagesChanged) => ctx.bus.emit('images.changed', payload);
  // A stack's axes, by file path, size and mtime: stepping through planes reads its IFD chain once.
  const axesCache = new Map<string, StackAxes | null>();
  async function stackAxes(image: ImageRecord): Promise<StackAxes | null> {
    if (image.frames <= 1) return null;
    const key = `${image.path}\0${image.size}\0${image.mtimeMs}`;
    let axes = axesCache.get(key);
    if (axes === undefined) {
      axes = (await ctx.io.readImageMetadata(image.path)).axes ?? null;
      if (axesCache.size >= 64) axesCache.delete(axesCache.keys().next().value as string);
      axesCache.set(key, axes);
    }
    return axes;
  }

  /** Reads fail early and clearly when the file is gone, instead of with a decoder error. */
  /** Background job: fills the thumbnail cache for freshly imported images, one at a time. */
  function startThumbnails(datasetId: number, ids: number[]): void {
    if (ids.length === 0) return;
    const ws = ctx.workspace.store;
    ctx.jobs.start({
      kind: 'thumbnails',
      title: `Thumbnails for ${ids.length} image(s)`,
      run: async (job) => {
        let made = 0;
        for (let i = 0; i < ids.length; i++) {
          await yieldToEventLoop();
          job.throwIfCancelled();
          if (!ws.isOpen) break;
          const image = ws.images.find(ids[i]);
          if (image) {
            try {
              await loadThumbnail(ctx.io, ws.cacheDir, image, GRID_THUMBNAIL_SIZE);
              made++;
            } catch (error) {
              ctx.logger.warn(`thumbnail of ${image.path}: ${(error as Error).message}`, 'images');
            }
          }
          job.progress((100 * (i + 1)) / ids.length, `${i + 1}/${ids.length}`);
        }
        changed({ datasetId, ids, reason: 'thumbnails' });
        return { made };
      },
    });
  }

  return {
    list({ datasetId, offset, limit, annotated, split, name }) {
      const store = ctx.workspace.store;
      store.datasets.get(datasetId);
      return store.images.list({ datasetId, offset, limit, annotated, split, name });
    },
    get({ id }) {
      return ctx.workspace.store.images.get(id);
    },
    async thumbnail({ id, size }) {
      const ws = ctx.workspace.store;
      const image = ws.images.get(id);
      await checkImageFile(image);
      return loadThumbnail(ctx.io, ws.cacheDir, image, size);
    },
    async read({ id, frame, region }): Promise<ImagePixels> {
      const image = ctx.workspace.store.images.get(id);
      if (frame >= image.frames) throw new UnetError('INVALID_ARGUMENT', `image ${id} has ${image.frames} frame(s); frame ${frame} does not exist`);
      await checkImageFile(image);
      const decoded = region ? await ctx.io.readImageRegion(image.path, { frame, ...region }) : await ctx.io.readImage(image.path, { frame });
      const axes = await stackAxes(image);
      return {
        width: decoded.width,
        height: decoded.height,
        channels: decoded.channels,
        dtype: decoded.dtype,
        data: decoded.data,
        frame,
        frames: image.frames,
        axes,
        region: region ?? { x: 0, y: 0, width: image.width, height: image.height },
      };
    },
    setSplit({ ids, split }) {
      const store = ctx.workspace.store;
      const updated = store.images.setSplit(ids, split);
      for (const [datasetId, group] of groupByDataset(ids, (id) => store.images.find(id)?.datasetId)) changed({ datasetId, ids: group, reason: 'split' });
      return { updated };
    },
    async verify({ datasetId, ids, searchFolders, relocate }) {
      const ws = ctx.workspace.store;
      if (datasetId === undefined && ids === undefined) throw new UnetError('INVALID_ARGUMENT', 'give a datasetId or image ids to verify');
      const folders = searchFolders.map((f) => allowedPath(ctx.isPathAllowed, f));
      const images = ids ? ids.map((id) => ws.images.get(id)) : ws.images.all(ws.datasets.get(datasetId as number).id);
      let sinceYield = 0;
      const report = await verifyImages(ws, images, {
        searchFolders: folders,
        relocate,
        checkpoint: async () => {
          if (++sinceYield % 64 === 0) await yieldToEventLoop();
        },
      });
      const datasetOf = new Map(images.map((i) => [i.id, i.datasetId]));
      for (const [dsId, group] of groupByDataset([...datasetOf.keys()], (id) => datasetOf.get(id))) {
        changed({ datasetId: dsId, ids: group, reason: 'verified' });
      }
      return report;
    },
    async import({ datasetId, paths, masks, recursive }) {
      const ws = ctx.workspace.store;
      const dataset = ws.datasets.get(datasetId);
      const busy = ctx.jobs.list().find((j) => j.kind === 'import' && !isFinished(j.status) && (j.data as { datasetId?: number } | undefined)?.datasetId === datasetId);
      if (busy) throw new UnetError('CONFLICT', `an import into ${dataset.name} is already running`, { jobId: busy.id });
      // Access is checked before the job starts, so a refused path is an error of this call.
      const roots = paths.map((p) => allowedPath(ctx.isPathAllowed, p));
      const candidates = await findImportFiles(roots, { masks, recursive, listImageFiles: (dir) => ctx.io.listImageFiles(dir), isPathAllowed: ctx.isPathAllowed });
      const importedIds: number[] = [];
      const info = ctx.jobs.start({
        kind: 'import',
        title: `Import ${candidates.length} image(s) into ${dataset.name}`,
        run: async (job) => {
          const progress: typeof job.progress = (percent, message, data) => job.progress(percent, message, { ...data, datasetId });
          try {
            return await importImages({ ...job, progress }, { ws, io: ctx.io, isPathAllowed: ctx.isPathAllowed }, datasetId, candidates, (id) => importedIds.push(id));
          } finally {
            if (importedIds.length > 0 && ws.isOpen) {
              const annotated = importedIds.filter((id) => (ws.images.find(id)?.annotationVersion ?? 0) > 0).length;
              ctx.bus.emit('images.imported', { datasetId, jobId: job.id, imported: importedIds.length, annotated } satisfies ImagesImported);
              ctx.bus.emit('datasets.changed', { id: datasetId, reason: 'images' });
              startThumbnails(datasetId, importedIds);
            }
          }
        },
      });
      return info;
    },
    remove({ ids }) {
      const store = ctx.workspace.store;
      const groups = groupByDataset(ids, (id) => store.images.find(id)?.datasetId);
      const removed = store.images.remove(ids);
      for (const [datasetId, group] of groups) changed({ datasetId, ids: group, reason: 'removed' });
      return { removed };
    },
  };
}

function groupByDataset(ids: readonly number[], datasetOf: (id: number) => number | undefined): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const id of ids) {
    const datasetId = datasetOf(id);
    if (datasetId === undefined) continue;
    const list = groups.get(datasetId) ?? [];
    list.push(id);
    groups.set(datasetId, list);
  }
  return groups;
}
