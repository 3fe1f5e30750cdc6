import { describe, expect, it } from 'vitest';
import { summarizeSplits, type SplitCounts } from '../../../src-renderer/src/lib/train/split-summary';

const counts = (patch: Partial<SplitCounts>): SplitCounts => ({ train: 0, trainAnnotated: 0, validation: 0, validationAnnotated: 0, test: 0, unassigned: 0, ...patch });

describe('summarizeSplits', () => {
  it('blocks training without training images and says where to fix it', () => {
    const s = summarizeSplits(counts({ unassigned: 12 }));
    expect(s).toMatchObject({ canTrain: false, level: 'error' });
    expect(s.message).toContain('12 image(s) are in no split');
  });

  it('blocks training when no training image is annotated', () => {
    const s = summarizeSplits(counts({ train: 5 }));
    expect(s.canTrain).toBe(false);
    expect(s.message).toMatch(/None of the 5 training image\(s\) is annotated/);
  });

  it('allows training without validation, with a warning', () => {
    const s = summarizeSplits(counts({ train: 5, trainAnnotated: 2, validation: 1 }));
    expect(s).toMatchObject({ canTrain: true, level: 'warn' });
    expect(s.message).toContain('no validation IoU');
  });

  it('reports skipped unannotated training images', () => {
    const s = summarizeSplits(counts({ train: 5, trainAnnotated: 3, validation: 2, validationAnnotated: 2 }));
    expect(s).toMatchObject({ canTrain: true, level: 'ok' });
    expect(s.message).toContain('3 of 5 training image(s) annotated');
    expect(s.message).toContain('2 unannotated training image(s) are skipped');
  });
});
