import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImagesChanged, ImagesImported, ImportResult } from '../../src-shared/contract/images';
import { isFinished, type JobOf } from '../../src-shared/contract/jobs';
import type { WorkspaceContext } from './workspace-context';
import { loadThumbnail } from '../store/thumbnails';
import type { Workspace } from '../store/workspace';
import type { ImportCandidate } from '../store/import/find-import-files';
import { importImages, type ImportSteps } from '../store/import/import-images';

/** Thumbnails made ahead of time after an import, at the size the image grid asks for. */
export const GRID_THUMBNAIL_SIZE = 256;

export interface ImportJobSpec {
  datasetId: number;
  candidates: ImportCandidate[];
  /** Which mask files may be read; the caller's access rule unless the files are the app's own. */
  isPathAllowed?: (path: string) => boolean;
  /** Runs inside the job once the files are in (e.g. to assign splits); its failure fails the job. */
  afterImport?: (ws: Workspace, result: ImportResult) => void;
}

/**
 * The import job every door uses (a folder into a data set, a folder as a new data set, the demo):
 * one at a time per data set, progress with the data set's id, then the events the views listen to
 * and thumbnails made in the background.
 */
export function startImportJob(ctx: WorkspaceContext, spec: ImportJobSpec): JobOf<'import'> {
  const ws = ctx.workspace.current;
  const { datasetId, candidates } = spec;
  const dataset = ws.datasets.get(datasetId);
  const busy = ctx.jobs.list().find((j) => j.kind === 'import' && !isFinished(j.status) && j.data?.datasetId === datasetId);
  if (busy) throw new UnetError('CONFLICT', `an import into ${dataset.name} is already running`, { jobId: busy.id });
  const importedIds: number[] = [];
  return ctx.jobs.start({
    kind: 'import',
    title: `Import ${candidates.length} image(s) into ${dataset.name}`,
    run: async (job) => {
      const progress: ImportSteps['progress'] = (percent, message, counts) => job.progress(percent, message, { ...counts, datasetId });
      const deps = { ws, io: ctx.io, isPathAllowed: spec.isPathAllowed ?? ctx.isPathAllowed };
      try {
        const result = await importImages({ ...job, progress }, deps, datasetId, candidates, (id) => importedIds.push(id));
        spec.afterImport?.(ws, result);
        return result;
      } finally {
        if (importedIds.length > 0 && ws.isOpen) {
          const annotated = importedIds.filter((id) => (ws.images.find(id)?.annotationVersion ?? 0) > 0).length;
          ctx.bus.emit('images.imported', { datasetId, jobId: job.id, imported: importedIds.length, annotated } satisfies ImagesImported);
          ctx.bus.emit('datasets.changed', { id: datasetId, reason: 'images' });
          startThumbnails(ctx, datasetId, importedIds);
        }
      }
    },
  });
}

/** Background job: fills the thumbnail cache for freshly imported images, one at a time. */
function startThumbnails(ctx: WorkspaceContext, datasetId: number, ids: number[]): void {
  const ws = ctx.workspace.current;
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
            await loadThumbnail(ctx.io, ws.cacheDir, image, GRID_THUMBNAIL_SIZE, ws.datasets.plane(datasetId));
            made++;
          } catch (error) {
            ctx.logger.warn(`thumbnail of ${image.path}: ${(error as Error).message}`, 'images');
          }
        }
        job.progress((100 * (i + 1)) / ids.length, `${i + 1}/${ids.length}`);
      }
      ctx.bus.emit('images.changed', { datasetId, ids, reason: 'thumbnails' } satisfies ImagesChanged);
      return { made };
    },
  });
}
