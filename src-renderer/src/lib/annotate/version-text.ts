import type { AnnotationVersionInfo } from '../../../../src-shared/contract/records';

/** Where a version came from, in words: "painted", "imported mask", "restored v2", "run #3's prediction". */
export function versionSource(info: Pick<AnnotationVersionInfo, 'source' | 'restoredFrom' | 'predictionRunId'>): string {
  switch (info.source) {
    case 'paint':
      return 'painted';
    case 'import':
      return 'imported mask';
    case 'restore':
      return info.restoredFrom === null ? 'restored' : `restored v${info.restoredFrom}`;
    case 'prediction':
      return info.predictionRunId === null ? 'accepted prediction' : `run #${info.predictionRunId}'s prediction`;
  }
}
