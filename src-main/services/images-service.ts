import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImagesChanged, imagesService } from '../../src-shared/contract/images';
import type { ImagePixels, ImageRecord } from '../../src-shared/contract/records';
import { planeProblem, type ImagePlane } from '../../src-shared/imaging/image-plane';
import { stackFrameIndex, type StackAxes } from '../../src-shared/imaging/stack-axes';
import { storedLevelFor } from '../io/pyramid-levels';
import { datasetNameFor, freeDatasetName } from '../store/dataset-names';
import { checkImageFile } from '../store/image-file-check';
import { findImportFiles } from '../store/import/find-import-files';
import { startImportJob } from '../pipeline/import-job';
import { allowedPath } from '../store/path-access';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import type { DecodedImage } from '../io/image-types';
import { StackAxesCache } from '../store/stack-axes-cache';
import { loadThumbnail } from '../store/thumbnails';
import { verifyImages } from '../store/verify-images';

export function createImagesService(ctx: WorkspaceContext): ServiceImpl<typeof imagesService> {
  const changed = (payload: ImagesChanged) => ctx.bus.emit('images.changed', payload);
  const stackAxes = new StackAxesCache(ctx.io, 64);

  /** The files an import of these paths would add; access is checked first, so a refused path fails the call. */
  function candidatesOf(paths: string[], options: { masks: boolean; recursive: boolean }) {
    const roots = paths.map((p) => allowedPath(ctx.isPathAllowed, p));
    return findImportFiles(roots, { ...options, listImageFiles: (dir) => ctx.io.listImageFiles(dir), isPathAllowed: ctx.isPathAllowed });
  }

  return {
    list({ datasetId, offset, limit, annotated, split, name }) {
      const store = ctx.workspace.current;
      store.datasets.get(datasetId);
      return store.images.list({ datasetId, offset, limit, annotated, split, name });
    },
    get({ id }) {
      return ctx.workspace.current.images.get(id);
    },
    neighbour({ id, direction, unannotated }) {
      return { imageId: ctx.workspace.current.images.neighbour(id, direction, unannotated) };
    },
    async thumbnail({ id, size }) {
      const ws = ctx.workspace.current;
      const image = ws.images.get(id);
      await checkImageFile(image);
      return loadThumbnail(ctx.io, ws.cacheDir, image, size, ws.datasets.plane(image.datasetId));
    },
    async read({ id, frame: asked, region }): Promise<ImagePixels> {
      const ws = ctx.workspace.current;
      const image = ws.images.get(id);
      if (asked !== undefined && asked >= image.frames) throw new UnetError('INVALID_ARGUMENT', `image ${id} has ${image.frames} frame(s); frame ${asked} does not exist`);
      await checkImageFile(image);
      const axes = await stackAxes.of(image);
      const frame = asked ?? planeFrame(image, axes, ws.datasets.plane(image.datasetId));
      const decoded = region ? await ctx.io.readImageRegion(image.path, { frame, ...region }) : await ctx.io.readImage(image.path, { frame });
      return pixelsOf(decoded, image, frame, axes, region);
    },
    async readLevel({ id, frame: asked, minSide }) {
      const ws = ctx.workspace.current;
      const image = ws.images.get(id);
      if (asked !== undefined && asked >= image.frames) throw new UnetError('INVALID_ARGUMENT', `image ${id} has ${image.frames} frame(s); frame ${asked} does not exist`);
      if (!/\.tiff?$/i.test(image.path)) return null;
      await checkImageFile(image);
      const axes = await stackAxes.of(image);
      // As for read: without a frame, the data set's plane (what Annotate opens at).
      const frame = asked ?? planeFrame(image, axes, ws.datasets.plane(image.datasetId));
      const level = storedLevelFor((await ctx.io.readImageMetadata(image.path)).levels, minSide);
      if (level === 0) return null;
      const decoded = await ctx.io.readImage(image.path, { frame, level });
      return { ...pixelsOf(decoded, image, frame, axes), level };
    },
    setSplit({ ids, split }) {
      const store = ctx.workspace.current;
      const updated = store.images.setSplit(ids, split);
      for (const [datasetId, group] of groupByDataset(ids, (id) => store.images.find(id)?.datasetId)) changed({ datasetId, ids: group, reason: 'split' });
      return { updated };
    },
    async verify({ datasetId, ids, searchFolders, relocate }) {
      const ws = ctx.workspace.current;
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
      ctx.workspace.current.datasets.get(datasetId);
      const candidates = await candidatesOf(paths, { masks, recursive });
      return startImportJob(ctx, { datasetId, candidates });
    },
    async importAsDataset({ paths, masks, recursive, name }) {
      const candidates = await candidatesOf(paths, { masks, recursive });
      if (candidates.length === 0) throw new UnetError('NOT_FOUND', `no TIFF, PNG or JPEG image in ${paths.join(', ')}`, { paths });
      const ws = ctx.workspace.current;
      const first = path.resolve(paths[0]);
      const folder = (await isDirectory(first)) ? first : path.dirname(first);
      const dataset = ws.datasets.create({ name: freeDatasetName(ws, name ?? datasetNameFor(folder)), description: `Imported from ${folder}` });
      ctx.bus.emit('datasets.changed', { id: dataset.id, reason: 'created' });
      return { dataset, job: startImportJob(ctx, { datasetId: dataset.id, candidates }) };
    },
    remove({ ids }) {
      const store = ctx.workspace.current;
      const groups = groupByDataset(ids, (id) => store.images.find(id)?.datasetId);
      const removed = store.images.remove(ids);
      for (const [datasetId, group] of groups) changed({ datasetId, ids: group, reason: 'removed' });
      return { removed };
    },
  };
}

/**
 * The page holding an image's plane (a sample of a colour image is picked by the viewer, from the whole
 * page). An image without that plane (imported after it was chosen) is still shown: its first page.
 */
function planeFrame(image: ImageRecord, axes: StackAxes | null, plane: ImagePlane): number {
  if (planeProblem(plane, { axes, channels: image.channels })) return 0;
  return axes ? stackFrameIndex(axes, { c: plane.c ?? 0, z: plane.z, t: plane.t }) : 0;
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

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** Decoded pixels as the contract sends them; `region` is the part read (default: the whole image). */
function pixelsOf(decoded: DecodedImage, image: ImageRecord, frame: number, axes: StackAxes | null, region?: ImagePixels['region']): ImagePixels {
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
}
