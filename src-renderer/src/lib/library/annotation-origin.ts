import type { ImageRecord } from '../../../../src-shared/contract/records';

export type OriginKind = 'none' | 'hand' | 'import' | 'prediction' | 'corrected';

export interface AnnotationOrigin {
  kind: OriginKind;
  /** The badge: "✓ v3", "run #2 v4", "mask v1"; empty when unannotated. */
  badge: string;
  /** The tooltip and the accessible text. */
  title: string;
}

/** How an image's annotation came about, as the Library shows it: by hand, from a run's prediction (then corrected), imported, or none. */
export function annotationOrigin(image: Pick<ImageRecord, 'annotationVersion' | 'annotationSource' | 'predictionRunId'>): AnnotationOrigin {
  const v = image.annotationVersion;
  if (v === 0) return { kind: 'none', badge: '', title: 'not annotated yet' };
  const run = image.predictionRunId;
  if (run !== null && run !== undefined) {
    if (image.annotationSource === 'prediction') return { kind: 'prediction', badge: `run #${run} v${v}`, title: `accepted from run #${run}'s prediction, version ${v}` };
    return { kind: 'corrected', badge: `run #${run} ✎ v${v}`, title: `accepted from run #${run}'s prediction and corrected by hand, version ${v}` };
  }
  if (image.annotationSource === 'import') return { kind: 'import', badge: `mask v${v}`, title: `imported from a mask, version ${v}` };
  return { kind: 'hand', badge: `✓ v${v}`, title: `annotated by hand, version ${v}` };
}
