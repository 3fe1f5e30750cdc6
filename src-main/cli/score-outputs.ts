import type { StackPosition } from '../../src-shared/imaging/stack-axes';
import { readMetadata } from '../engine/model-files';
import { evaluateBaseline, evaluateFiles, type BaselineEvaluation, type ImageEvaluation } from '../workflows/evaluate-folders';
import { fileStem, pairFiles } from '../io/image-pairs';
import { polarityOfModel } from '../pipeline/otsu-baseline';
import type { SegmentedOutput } from '../workflows/segment-files';
import { meanMetrics, METRIC_LABELS, REPORTED_METRICS, type ReportedMetric } from '../pipeline/segmentation-metrics';
import { listImageFiles } from '../io/list-image-files';
import { baselineReport } from './baseline-report';
import { UsageError } from './cli-errors';
import { formatMetric, formatTable } from './cli-output';

export interface OutputScores {
  evaluation: { images: ImageEvaluation[]; mean: Record<ReportedMetric, number | null>; baseline: BaselineEvaluation; verdict: string | null };
  lines: string[];
}

/**
 * `segment --masks`: scores each written mask against the ground truth of the same name, and an
 * Otsu threshold of the same input beside it (polarity as recorded with the model, else the minority
 * rule), of the plane segmented when one was chosen.
 */
export async function scoreOutputs(
  modelDir: string,
  outputs: SegmentedOutput[],
  masksDir: string,
  note: (text: string) => void,
  options: { plane?: Partial<StackPosition> } = {},
): Promise<OutputScores> {
  const { pairs, unmatchedImages } = pairFiles(
    outputs.map((o) => o.input),
    await listImageFiles(masksDir),
  );
  if (pairs.length === 0) throw new UsageError(`no mask in ${masksDir} has the name of a segmented image`);
  for (const file of unmatchedImages) note(`no mask for ${file}; not scored`);
  const maskOf = new Map(outputs.map((o) => [fileStem(o.input).toLowerCase(), o.mask]));
  const images: ImageEvaluation[] = [];
  for (const pair of pairs) images.push({ name: pair.name, ...(await evaluateFiles(maskOf.get(fileStem(pair.image).toLowerCase()) as string, pair.mask)) });
  const polarity = polarityOfModel(await readMetadata(modelDir));
  const baseline = await evaluateBaseline(pairs.map((p) => ({ name: p.name, image: p.image, mask: p.mask })), polarity, options);
  const mean = meanMetrics(images.map((i) => i.metrics));
  const report = baselineReport(images, baseline);
  const rows = images.map((img) => [img.name, ...REPORTED_METRICS.map((m) => formatMetric(img.metrics[m]))]);
  rows.push(['mean', ...REPORTED_METRICS.map((m) => formatMetric(mean[m]))], report.row);
  const lines = ['', formatTable(['image', ...REPORTED_METRICS.map((m) => METRIC_LABELS[m])], rows), ...report.lines];
  return { evaluation: { images, mean, baseline, verdict: report.verdict }, lines };
}
