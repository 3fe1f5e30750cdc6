import type { JobOf } from '../../src-shared/contract/jobs';
import { MAX_PAGE } from '../store/images-repository';
import { startSegmentationJob } from './segmentation-pipeline';
import type { WorkspaceContext } from './workspace-context';

/**
 * After a run: predicts, as one segmentation job in the background, the images of its data set that
 * nobody annotated yet and that it has not predicted, in name order (the order "next unannotated"
 * walks), so that each is ready to be accepted and corrected. No job when there is nothing to predict.
 */
export function refreshUnannotatedPredictions(ctx: WorkspaceContext, runId: number, limit: number): { job: JobOf<'segmentation'> | null; images: number } {
  const ws = ctx.workspace.current;
  const run = ws.runs.summary(runId);
  const predicted = new Set(ws.results.predictions(runId).map((p) => p.imageId));
  const imageIds: number[] = [];
  for (let offset = 0; imageIds.length < limit; offset += MAX_PAGE) {
    const page = ws.images.list({ datasetId: run.datasetId, annotated: false, offset, limit: MAX_PAGE });
    for (const image of page.items) {
      if (image.fileStatus !== 'missing' && !predicted.has(image.id) && imageIds.length < limit) imageIds.push(image.id);
    }
    if (offset + MAX_PAGE >= page.total) break;
  }
  if (imageIds.length === 0) return { job: null, images: 0 };
  const job = startSegmentationJob(ctx, { runId, imageIds, options: { tta: false, instances: true, evaluate: false } });
  return { job, images: imageIds.length };
}
