import type { PredictionRecord } from '../../../../src-shared/contract/records';
import type { RoiSetExport } from '../../../../src-shared/contract/results';

/** Folder of a file path (either separator, so Windows paths read right too). */
export function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : path;
}

/** The folders a run's predicted label images and probability maps were written to, without repeats. */
export function maskFolders(predictions: readonly PredictionRecord[]): { labels: string[]; probabilities: string[] } {
  const unique = (paths: (string | null)[]) => [...new Set(paths.filter((p): p is string => !!p).map(folderOf))].sort();
  return { labels: unique(predictions.map((p) => p.labelsPath)), probabilities: unique(predictions.map((p) => p.probabilitiesPath)) };
}

/** "42 object(s) from 3 image(s) as ImageJ ROI sets (1 skipped: why)". */
export function roiExportSummary(e: RoiSetExport): string {
  const kind = e.format === 'zip' ? 'ImageJ ROI sets' : 'QuPath GeoJSON';
  const skipped = e.skipped.length ? ` (${e.skipped.length} skipped: ${e.skipped[0].imageName}: ${e.skipped[0].reason}${e.skipped.length > 1 ? ', …' : ''})` : '';
  return `${e.objects} object(s) from ${e.files.length} image(s) as ${kind}${skipped}`;
}
