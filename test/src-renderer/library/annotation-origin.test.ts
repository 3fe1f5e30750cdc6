import { describe, expect, it } from 'vitest';
import { annotationOrigin } from '../../../src-renderer/src/lib/library/annotation-origin';
import { versionSource } from '../../../src-renderer/src/lib/annotate/version-text';

describe('annotationOrigin', () => {
  it('tells unannotated, painted, imported, accepted and corrected images apart', () => {
    expect(annotationOrigin({ annotationVersion: 0, annotationSource: null, predictionRunId: null })).toMatchObject({ kind: 'none', badge: '' });
    expect(annotationOrigin({ annotationVersion: 3, annotationSource: 'paint', predictionRunId: null })).toMatchObject({ kind: 'hand', badge: '✓ v3' });
    expect(annotationOrigin({ annotationVersion: 1, annotationSource: 'import', predictionRunId: null })).toMatchObject({ kind: 'import', badge: 'mask v1' });
    expect(annotationOrigin({ annotationVersion: 2, annotationSource: 'prediction', predictionRunId: 5 })).toMatchObject({ kind: 'prediction', badge: 'run #5 v2' });
    const corrected = annotationOrigin({ annotationVersion: 4, annotationSource: 'paint', predictionRunId: 5 });
    expect(corrected).toMatchObject({ kind: 'corrected', badge: 'run #5 ✎ v4' });
    expect(corrected.title).toContain("run #5's prediction and corrected by hand");
  });
});

describe('versionSource', () => {
  it('says where a version came from', () => {
    expect(versionSource({ source: 'paint', restoredFrom: null, predictionRunId: null })).toBe('painted');
    expect(versionSource({ source: 'restore', restoredFrom: 2, predictionRunId: null })).toBe('restored v2');
    expect(versionSource({ source: 'prediction', restoredFrom: null, predictionRunId: 3 })).toBe("run #3's prediction");
    expect(versionSource({ source: 'import', restoredFrom: null, predictionRunId: null })).toBe('imported mask');
  });
});
