import type { PredictionRecord } from '../../../../src-shared/contract/records';

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
