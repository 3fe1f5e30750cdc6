import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImportResult } from '../../src-shared/contract/images';
import type { JobContext } from '../jobs/job-manager';
import { importImages } from '../store/import/import-images';
import type { StoreContext } from '../store/store-context';
import type { ImagePair } from './image-pairs';

export interface FolderDataset {
  datasetId: number;
  datasetName: string;
  created: boolean;
  /** Image id of every pair, by image path. */
  imageIds: Map<string, number>;
  import: ImportResult;
}

/** A data set name for a folder of images: the folder's name, or its parent's for an `images` folder. */
export function datasetNameFor(imagesDir: string): string {
  const resolved = path.resolve(imagesDir);
  const base = path.basename(resolved);
  const name = base.toLowerCase() === 'images' ? path.basename(path.dirname(resolved)) : base;
  return (name || 'images').slice(0, 200);
}

/**
 * Puts image/mask pairs into a data set named after their folder, through the store's importer (masks
 * become annotations: {0,255}/{0,1} = foreground, other integers = instances). A data set of that name
 * holding only these files is reused (files already in it are skipped); one holding other images is
 * left alone and a new name ("NAME 2", ...) is taken.
 */
export async function importPairsAsDataset(
  ctx: StoreContext,
  preferredName: string,
  pairs: ImagePair[],
  onProgress?: (done: number, total: number) => void,
): Promise<FolderDataset> {
  const ws = ctx.workspace.store;
  const paths = new Set(pairs.map((p) => path.resolve(p.image)));
  let datasetId: number | null = null;
  let datasetName = preferredName;
  let created = false;
  for (let n = 1; datasetId === null; n++) {
    datasetName = n === 1 ? preferredName : `${preferredName} ${n}`;
    const existing = ws.datasets.list().find((d) => d.name.toLowerCase() === datasetName.toLowerCase());
    if (!existing) {
      datasetId = ws.datasets.create({ name: datasetName, description: `Imported from ${path.dirname(pairs[0].image)}` }).id;
      created = true;
      ctx.bus.emit('datasets.changed', { id: datasetId, reason: 'created' });
    } else if (ws.images.all(existing.id).every((image) => paths.has(image.path))) {
      datasetId = existing.id;
    }
  }
  const id = datasetId;
  const candidates = pairs.map((p) => ({ imagePath: path.resolve(p.image), maskPath: path.resolve(p.mask) }));
  const job = ctx.jobs.start<ImportResult>({
    kind: 'import',
    title: `Import ${candidates.length} image(s) into ${datasetName}`,
    run: (jobCtx: JobContext) => {
      const progress: JobContext['progress'] = (percent, message, data) => {
        jobCtx.progress(percent, message, { ...data, datasetId: id });
        const done = (data as { done?: number } | undefined)?.done;
        if (done !== undefined) onProgress?.(done, candidates.length);
      };
      return importImages({ ...jobCtx, progress }, { ws, io: ctx.io, isPathAllowed: ctx.isPathAllowed }, id, candidates);
    },
  });
  const finished = await ctx.jobs.wait(job.id);
  if (finished.status !== 'succeeded') throw new UnetError(finished.error?.code ?? 'INTERNAL', finished.error?.message ?? `import ${finished.status}`);
  const result = finished.result as ImportResult;
  ctx.bus.emit('datasets.changed', { id, reason: 'images' });
  const imageIds = new Map<string, number>();
  for (const candidate of candidates) {
    const image = ws.images.findByPath(id, candidate.imagePath);
    if (image) imageIds.set(candidate.imagePath, image.id);
  }
  return { datasetId: id, datasetName, created, imageIds, import: result };
}
