import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImportResult } from '../../src-shared/contract/images';
import { importImages, type ImportSteps } from '../store/import/import-images';
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

export { datasetNameFor } from '../store/dataset-names';

/**
 * The data set that receives these files: one named `preferredName` holding none but them is reused
 * (files already in it are skipped on import); one holding other images is left alone and a new name
 * ("NAME 2", ...) is taken.
 */
export function datasetForFiles(ctx: Pick<StoreContext, 'workspace' | 'bus'>, preferredName: string, files: ReadonlySet<string>, description: string): { datasetId: number; datasetName: string; created: boolean } {
  const ws = ctx.workspace.store;
  for (let n = 1; ; n++) {
    const datasetName = n === 1 ? preferredName : `${preferredName} ${n}`;
    const existing = ws.datasets.list().find((d) => d.name.toLowerCase() === datasetName.toLowerCase());
    if (!existing) {
      const datasetId = ws.datasets.create({ name: datasetName, description }).id;
      ctx.bus.emit('datasets.changed', { id: datasetId, reason: 'created' });
      return { datasetId, datasetName, created: true };
    }
    if (ws.images.all(existing.id).every((image) => files.has(image.path))) return { datasetId: existing.id, datasetName: existing.name, created: false };
  }
}

/**
 * Puts image/mask pairs into the data set of `datasetForFiles`, through the store's importer (masks
 * become annotations: {0,255}/{0,1} = foreground, other integers = instances), and waits for it.
 */
export async function importPairsAsDataset(
  ctx: StoreContext,
  preferredName: string,
  pairs: ImagePair[],
  onProgress?: (done: number, total: number) => void,
): Promise<FolderDataset> {
  const ws = ctx.workspace.store;
  const paths = new Set(pairs.map((p) => path.resolve(p.image)));
  const { datasetId, datasetName, created } = datasetForFiles(ctx, preferredName, paths, `Imported from ${path.dirname(pairs[0].image)}`);
  const id = datasetId;
  const candidates = pairs.map((p) => ({ imagePath: path.resolve(p.image), maskPath: path.resolve(p.mask) }));
  const job = ctx.jobs.start({
    kind: 'import',
    title: `Import ${candidates.length} image(s) into ${datasetName}`,
    run: (jobCtx) => {
      const progress: ImportSteps['progress'] = (percent, message, counts) => {
        jobCtx.progress(percent, message, { ...counts, datasetId: id });
        if (counts) onProgress?.(counts.done, candidates.length);
      };
      return importImages({ ...jobCtx, progress }, { ws, io: ctx.io, isPathAllowed: ctx.isPathAllowed }, id, candidates);
    },
  });
  const finished = await ctx.jobs.wait(job);
  if (finished.status !== 'succeeded' || !finished.result) throw new UnetError(finished.error?.code ?? 'INTERNAL', finished.error?.message ?? `import ${finished.status}`);
  const result = finished.result;
  ctx.bus.emit('datasets.changed', { id, reason: 'images' });
  const imageIds = new Map<string, number>();
  for (const candidate of candidates) {
    const image = ws.images.findByPath(id, candidate.imagePath);
    if (image) imageIds.set(candidate.imagePath, image.id);
  }
  return { datasetId: id, datasetName, created, imageIds, import: result };
}
