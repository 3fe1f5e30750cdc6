import { UnetError } from '../../src-shared/contract/errors';
import type { SplitPlanImage, TrainingSplitPlan } from '../../src-shared/contract/training';
import type { Workspace } from '../store/workspace';
import { AUTO_VALIDATION_FRACTION, decideSplit } from './split-rule';
import { planTraining, splitCandidate } from './training-images';

/**
 * training.planSplit: the split `training.start` would use with this seed (the same rule, the same
 * checks), for the Train view to show before the click. A data set it would refuse gets its split
 * as far as it goes and the refusal's message as `blocker`.
 */
export function previewTrainingSplit(ws: Workspace, datasetId: number, seed: number): TrainingSplitPlan {
  ws.datasets.get(datasetId);
  const images = ws.images.all(datasetId);
  const counts: TrainingSplitPlan['counts'] = { train: empty(), validation: empty(), test: empty(), none: empty() };
  for (const image of images) {
    const count = counts[image.split ?? 'none'];
    count.images++;
    if (image.annotationVersion > 0) count.annotated++;
  }
  const decision = decideSplit(images.map(splitCandidate), seed);
  const byId = new Map(images.map((i) => [i.id, i.name]));
  const named = (ids: number[]): SplitPlanImage[] => ids.map((imageId) => ({ imageId, name: byId.get(imageId) ?? `image ${imageId}` }));
  return {
    datasetId,
    seed,
    mode: decision.mode,
    validationFraction: AUTO_VALIDATION_FRACTION,
    train: named(decision.trainIds),
    validation: named(decision.validationIds),
    counts,
    blocker: refusal(ws, datasetId, seed),
  };
}

function empty(): Record<'images' | 'annotated', number> {
  return { images: 0, annotated: 0 };
}

/** The message `training.start` would refuse with (a usage error), or null when it would start. */
function refusal(ws: Workspace, datasetId: number, seed: number): string | null {
  try {
    planTraining(ws, datasetId, seed);
    return null;
  } catch (error) {
    if (error instanceof UnetError && error.code === 'INVALID_ARGUMENT') return error.message;
    throw error;
  }
}
