import { REPORTED_METRICS, type ReportedMetric } from '../../src-shared/contract/segmentation';
import type { SegmentationEvaluation } from '../../src-shared/imaging/metrics/evaluate-segmentation';

export { REPORTED_METRICS, type ReportedMetric };

export const METRIC_LABELS: Record<ReportedMetric, string> = {
  iou: 'IoU',
  seg: 'SEG',
  vRand: 'V_rand',
  vInfo: 'V_info',
  randError: 'Rand err',
  pixelError: 'pixel err',
  warpingError: 'warping err',
  ap50: 'AP@0.5',
};

export function metricValues(evaluation: SegmentationEvaluation): Record<ReportedMetric, number | null> {
  const finite = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    iou: finite(evaluation.iou),
    seg: finite(evaluation.seg),
    vRand: finite(evaluation.vRand),
    vInfo: finite(evaluation.vInfo),
    randError: finite(evaluation.randError),
    pixelError: finite(evaluation.pixelError),
    warpingError: finite(evaluation.warpingError),
    ap50: finite(evaluation.ap50),
  };
}

/** Mean of each metric over the rows where it is defined (null when it is nowhere). */
export function meanMetrics(rows: Record<ReportedMetric, number | null>[]): Record<ReportedMetric, number | null> {
  const mean = {} as Record<ReportedMetric, number | null>;
  for (const metric of REPORTED_METRICS) {
    const values = rows.map((r) => r[metric]).filter((v): v is number => v !== null);
    mean[metric] = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  return mean;
}
