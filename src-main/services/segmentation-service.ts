import type { ServiceImpl } from '../../src-shared/contract/define';
import type { segmentationService } from '../../src-shared/contract/segmentation';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { predictionOf } from '../pipeline/predict-on-demand';
import { refreshUnannotatedPredictions } from '../pipeline/refresh-predictions';
import { readPrediction, startSegmentationJob } from '../pipeline/segmentation-pipeline';

/** Segments data set images with a run's model, records predictions and scores them against annotations. */
export function createSegmentationService(ctx: WorkspaceContext): ServiceImpl<typeof segmentationService> {
  return {
    start({ runId, imageIds, options }) {
      return { job: startSegmentationJob(ctx, { runId, imageIds, options }) };
    },
    prediction({ runId, imageId }) {
      return readPrediction(ctx.workspace.current, runId, imageId);
    },
    predict({ runId, imageId }) {
      return predictionOf(ctx, runId, imageId);
    },
    refreshUnannotated({ runId, limit }) {
      return refreshUnannotatedPredictions(ctx, runId, limit);
    },
  };
}
