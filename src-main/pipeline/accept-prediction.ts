import type { AcceptedPrediction } from '../../src-shared/contract/annotations';
import { UnetError } from '../../src-shared/contract/errors';
import { annotationFromPrediction } from './annotation-from-prediction';
import { predictionOf } from './predict-on-demand';
import type { WorkspaceContext } from './workspace-context';

export interface AcceptRequest {
  imageId: number;
  runId: number;
  /** The version the user saw (as for a save): a newer one is a CONFLICT. Omit to skip the check. */
  baseVersion?: number;
  author?: string;
}

/**
 * Saves a run's prediction of an image as the image's next annotation version (source 'prediction',
 * recording the run), computing the prediction first when the run has none of this image.
 */
export async function acceptPrediction(ctx: WorkspaceContext, request: AcceptRequest): Promise<AcceptedPrediction> {
  const { imageId, runId } = request;
  const ws = ctx.workspace.current;
  const image = ws.images.get(imageId);
  const run = ws.runs.summary(runId);
  const prediction = await predictionOf(ctx, runId, imageId);
  if (prediction.width !== image.width || prediction.height !== image.height) {
    throw new UnetError('CONFLICT', `run #${runId}'s prediction of ${image.name} is ${prediction.width}x${prediction.height}, the image ${image.width}x${image.height}`, { runId, imageId });
  }
  const palette = new Set(ws.datasets.classes(image.datasetId).map((c) => c.value));
  const maps = annotationFromPrediction(prediction, palette);
  const saved = ws.annotations.save(imageId, {
    ...maps,
    baseVersion: request.baseVersion,
    source: 'prediction',
    predictionRunId: runId,
    author: request.author,
    message: `accepted the prediction of run #${run.id} (${run.name})`,
  });
  return { ...saved, runId, width: image.width, height: image.height, ...maps };
}
