import { existsSync } from 'node:fs';
import { UnetError } from '../../src-shared/contract/errors';
import type { PredictionView } from '../../src-shared/contract/segmentation';
import { planeSelection } from '../../src-shared/imaging/image-plane';
import { openUnetRunner } from '../engine/inference/open-runner';
import { readImagePlane } from '../io/read-plane';
import type { Workspace } from '../store/workspace';
import { instanceLabels, writeWorkspacePrediction } from './prediction-files';
import { resolveRunModel, runPredictionsDir } from './run-model';
import { segmentDecoded } from './segment-file';
import { readPrediction } from './segmentation-pipeline';
import type { WorkspaceContext } from './workspace-context';

/** Predictions being computed, per workspace, so that two asks for the same one share the work. */
const inFlight = new WeakMap<Workspace, Map<string, Promise<PredictionView>>>();

/**
 * A run's prediction of a data set image: the stored one (from a segmentation job or an earlier ask),
 * else computed now with the overlap-tile inference at the data set's plane and stored under
 * predictions/run-N/ with its record, so that it is computed once per run and image.
 */
export function predictionOf(ctx: WorkspaceContext, runId: number, imageId: number): Promise<PredictionView> {
  const ws = ctx.workspace.current;
  const record = ws.results.predictions(runId).find((p) => p.imageId === imageId);
  if (record?.labelsPath && existsSync(record.labelsPath)) return readPrediction(ws, runId, imageId);
  let pending = inFlight.get(ws);
  if (!pending) inFlight.set(ws, (pending = new Map()));
  const key = `${runId}:${imageId}`;
  const running = pending.get(key);
  if (running) return running;
  const started = computePrediction(ctx, ws, runId, imageId).finally(() => pending.delete(key));
  pending.set(key, started);
  return started;
}

async function computePrediction(ctx: WorkspaceContext, ws: Workspace, runId: number, imageId: number): Promise<PredictionView> {
  const image = ws.images.get(imageId);
  if (image.fileStatus === 'missing') throw new UnetError('NOT_FOUND', `the file of ${image.name} is missing (${image.path}); verify the data set to find it`, { imageId });
  const modelDir = resolveRunModel(ws, runId);
  const opened = await openUnetRunner(modelDir);
  for (const note of opened.notes) ctx.logger.warn(note, 'segmentation');
  try {
    const decoded = (await readImagePlane(image.path, planeSelection(ws.datasets.plane(image.datasetId)))).image;
    const seg = await segmentDecoded(opened, decoded, { instances: {} });
    const paths = await writeWorkspacePrediction(runPredictionsDir(ws, runId), image.name, seg);
    ws.results.addPrediction(runId, { imageId, inputPath: image.path, ...paths });
    const view: PredictionView = { runId, imageId, width: seg.width, height: seg.height, classMap: seg.classMap, probability: seg.foreground };
    if (seg.instances) view.instances = Uint32Array.from(instanceLabels(seg.instances));
    return view;
  } finally {
    await opened.runner.dispose();
  }
}
