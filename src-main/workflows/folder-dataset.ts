import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImportResult } from '../../src-shared/contract/images';
import type { JobContext } from '../jobs/job-manager';
import { importImages, type ImportSteps } from '../store/import/import-images';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { datasetForFiles } from '../pipeline/dataset-for-files';
import type { ImagePair } from '../io/image-pairs';

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
 * Puts image/mask pairs into the data set of `datasetForFiles`, through the store's importer (masks
 * become annotations: {0,255}/{0,1} = foreground, other integers = instances), and waits for it.
 */
export async function importPairsAsDataset(
  ctx: WorkspaceContext,
  preferredName: string,
  pairs: ImagePair[],
  onProgress?: (done: number, total: number) => void,
): Promise<FolderDataset> {
  const ws = ctx.workspace.current;
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
