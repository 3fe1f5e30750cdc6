import { UnetError } from '../../src-shared/contract/errors';
import type { JobOf } from '../../src-shared/contract/jobs';
import type { ImageRecord } from '../../src-shared/contract/records';
import type { PredictionView, SegmentationOutcome, SegmentOptions } from '../../src-shared/contract/segmentation';
import { planeSelection } from '../../src-shared/imaging/image-plane';
import { evaluateSegmentation } from '../../src-shared/imaging/metrics/evaluate-segmentation';
import { openUnetRunner } from '../engine/inference/open-runner';
import type { JobContext } from '../jobs/job-manager';
import { readImage } from '../io/read-image';
import type { WorkspaceContext } from './workspace-context';
import { readImagePlane } from '../io/read-plane';
import type { Workspace } from '../store/workspace';
import type { DecodedImage } from '../io/image-types';
import { baselineSettings, polarityOfRun, scoreBaseline, type BaselinePolarity } from './otsu-baseline';
import { writeWorkspacePrediction } from './prediction-files';
import { resolveRunModel, runPredictionsDir } from './run-model';
import { segmentDecoded } from './segment-file';
import { describeInstanceOptions } from './instance-calibration';
import type { InstanceOptions } from '../engine/inference/instance-postprocess';
import { meanMetrics, metricValues, type ReportedMetric } from './segmentation-metrics';

export interface SegmentationRequest {
  runId: number;
  imageIds: number[];
  options: Required<Pick<SegmentOptions, 'tta' | 'instances' | 'evaluate'>> & Pick<SegmentOptions, 'tile' | 'threshold' | 'erosion'>;
}

export type { SegmentationOutcome };

/**
 * Checks the request (the run has a model, every image exists and its file is there) and starts the
 * job: per image, overlap-tile inference, outputs under predictions/run-N/, a prediction record, and
 * the metrics against the image's latest annotation when it has one.
 */
export function startSegmentationJob(ctx: WorkspaceContext, request: SegmentationRequest): JobOf<'segmentation'> {
  const ws = ctx.workspace.current;
  const run = ws.runs.summary(request.runId);
  const modelDir = resolveRunModel(ws, request.runId);
  const images = [...new Set(request.imageIds)].map((id) => ws.images.get(id));
  const missing = images.filter((i) => i.fileStatus === 'missing');
  if (missing.length > 0) {
    throw new UnetError('NOT_FOUND', `${missing.length} image file(s) are missing, e.g. ${missing[0].path} (verify the data set to find them)`, { imageIds: missing.map((i) => i.id) });
  }
  return ctx.jobs.start({
    kind: 'segmentation',
    title: `Segment ${images.length} image(s) with ${run.name}`,
    run: (job) => segmentImages(ctx, ws, job, modelDir, images, request),
  });
}

async function segmentImages(
  ctx: WorkspaceContext,
  ws: Workspace,
  job: JobContext<'segmentation'>,
  modelDir: string,
  images: ImageRecord[],
  request: SegmentationRequest,
): Promise<SegmentationOutcome> {
  const { runId, options } = request;
  job.progress(0, 'loading the model');
  const opened = await openUnetRunner(modelDir);
  for (const note of opened.notes) ctx.logger.warn(note, 'segmentation');
  const outDir = runPredictionsDir(ws, runId);
  const rows: Record<ReportedMetric, number | null>[] = [];
  const baselineRows: Record<ReportedMetric, number | null>[] = [];
  const polarity: BaselinePolarity | null = options.evaluate ? await polarityOfRun(ws, runId, opened.metadata) : null;
  let instancesUsed: { options: InstanceOptions; calibrated: boolean } | null = null;
  const failures: SegmentationOutcome['failures'] = [];
  let predicted = 0;
  try {
    for (const [index, image] of images.entries()) {
      job.throwIfCancelled();
      const share = 100 / images.length;
      const message = `${index + 1}/${images.length} ${image.name}`;
      job.progress(index * share, message, { done: index, total: images.length, runner: opened.runner.description });
      try {
        // The data set's plane: the pixels its annotations were drawn on and the evaluation compares with.
        const decoded = (await readImagePlane(image.path, planeSelection(ws.datasets.plane(image.datasetId)))).image;
        const seg = await segmentDecoded(opened, decoded, {
          tile: options.tile,
          tta: options.tta,
          instances: options.instances ? { threshold: options.threshold, erosion: options.erosion } : false,
          signal: job.signal,
          onProgress: (percent) => job.progress(index * share + (percent / 100) * share * 0.9, message),
        });
        if (seg.noiseSmoothing) ctx.logger.info(`${image.name} is noisier than the training images: smoothed to their noise level (Gaussian sigma ${seg.noiseSmoothing.toFixed(2)} px) before segmenting`, 'segmentation');
        const paths = await writeWorkspacePrediction(outDir, image.name, seg);
        ws.results.addPrediction(runId, { imageId: image.id, inputPath: image.path, ...paths });
        predicted++;
        if (seg.instanceOptions) instancesUsed = { options: seg.instanceOptions, calibrated: seg.calibratedInstances === true };
        if (options.evaluate && polarity) {
          const scored = evaluateAgainstAnnotation(ws, runId, image, seg, decoded, polarity);
          if (scored) {
            rows.push(scored.model);
            baselineRows.push(scored.baseline);
          }
        }
      } catch (error) {
        if (error instanceof UnetError && (error.code === 'CANCELLED' || error.code === 'OUT_OF_MEMORY')) throw error;
        job.throwIfCancelled();
        const text = error instanceof Error ? error.message : String(error);
        failures.push({ imageId: image.id, error: text });
        ctx.logger.warn(`segmenting ${image.path} failed: ${text}`, 'segmentation');
      }
    }
  } finally {
    await opened.runner.dispose();
  }
  if (predicted === 0 && failures.length > 0) throw new UnetError('IO_ERROR', `no image could be segmented: ${failures[0].error}`, { failures });
  const baseline = polarity && baselineRows.length > 0 ? { mean: meanMetrics(baselineRows), settings: baselineSettings(polarity) } : null;
  return { runId, predicted, evaluated: rows.length, mean: meanMetrics(rows), baseline, instances: instancesUsed && { options: { ...instancesUsed.options }, calibrated: instancesUsed.calibrated, description: describeInstanceOptions(instancesUsed.options) }, failures };
}

/**
 * Scores a prediction against the image's latest annotation, and the Otsu baseline against the same
 * annotation, and records both (no annotation: nothing recorded).
 */
function evaluateAgainstAnnotation(
  ws: Workspace,
  runId: number,
  image: ImageRecord,
  seg: { classMap: Uint8Array; instances?: Int32Array; width: number; height: number },
  decoded: DecodedImage,
  polarity: BaselinePolarity,
): { model: Record<ReportedMetric, number | null>; baseline: Record<ReportedMetric, number | null> } | null {
  const truth = ws.annotations.latest(image.id);
  if (!truth || truth.version === 0 || truth.width !== seg.width || truth.height !== seg.height) return null;
  // Painted annotations may carry classes only: then objects are the components of the foreground.
  const truthHasInstances = truth.instanceMap.some((v) => v !== 0);
  const evaluation = evaluateSegmentation(
    { classMap: seg.classMap, instances: seg.instances },
    { classMap: truth.classMap, instances: truthHasInstances ? truth.instanceMap : undefined },
    seg.width,
    seg.height,
  );
  const values = metricValues(evaluation);
  ws.results.addEvaluations(runId, image.id, values, truth.id);
  const truthMaps = { classMap: truth.classMap, instances: truthHasInstances ? truth.instanceMap : undefined };
  const baseline = scoreBaseline(decoded, truthMaps, polarity.polarity);
  const settings = { ...baselineSettings(polarity), ...(polarity.polarity ? {} : { polarity: baseline.polarity }) };
  ws.results.addBaselineEvaluations(runId, image.id, 'otsu', baseline.values, settings, truth.id);
  return { model: values, baseline: baseline.values };
}

/** The stored prediction of one image by one run, read back from its files. */
export async function readPrediction(ws: Workspace, runId: number, imageId: number): Promise<PredictionView> {
  const record = ws.results.predictions(runId).find((p) => p.imageId === imageId);
  if (!record || !record.labelsPath) throw new UnetError('NOT_FOUND', `run ${runId} has no prediction for image ${imageId}`, { runId, imageId });
  const labels = await readImage(record.labelsPath);
  const { width, height } = labels;
  const classMap = labels.data instanceof Uint8Array ? labels.data : Uint8Array.from(labels.data);
  const probability = record.probabilitiesPath ? Float32Array.from((await readImage(record.probabilitiesPath)).data) : new Float32Array(width * height);
  const view: PredictionView = { runId, imageId, width, height, classMap, probability };
  if (record.instancesPath) view.instances = Uint32Array.from((await readImage(record.instancesPath)).data);
  return view;
}

