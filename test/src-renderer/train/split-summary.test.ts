import { describe, expect, it } from 'vitest';
import type { TrainingSplitPlan } from '../../../src-shared/contract/training';
import { listNames, summarizePlan } from '../../../src-renderer/src/lib/train/split-summary';

const none = { images: 0, annotated: 0 };
const images = (...names: string[]) => names.map((name, i) => ({ imageId: i + 1, name }));

function plan(patch: Partial<TrainingSplitPlan> & { counts?: Partial<TrainingSplitPlan['counts']> }): TrainingSplitPlan {
  const { counts, ...rest } = patch;
  return { datasetId: 1, seed: 1, mode: 'automatic', validationFraction: 0.2, train: [], validation: [], blocker: null, ...rest, counts: { train: none, validation: none, test: none, none, ...counts } };
}

describe('summarizePlan', () => {
  it('blocks training with the services\' own reason', () => {
    const s = summarizePlan(plan({ blocker: 'data set "cells" has no annotated images: paint or import ground truth first' }));
    expect(s).toEqual({ canTrain: false, level: 'error', message: 'Cannot train yet: data set "cells" has no annotated images: paint or import ground truth first.' });
  });

  it('shows the automatic split it will use, with the validation images, the held-out and the skipped', () => {
    const s = summarizePlan(
      plan({ seed: 4, train: images('a', 'b', 'c', 'd', 'e'), validation: images('f.png'), counts: { none: { images: 7, annotated: 6 }, test: { images: 2, annotated: 2 } } }),
    );
    expect(s).toMatchObject({ canTrain: true, level: 'ok' });
    expect(s.message).toContain('Automatic split (seed 4, about 20 % validation) of the 6 annotated image(s) in no split: 5 train, 1 validate.');
    expect(s.message).toContain('2 test image(s) stay held out.');
    expect(s.message).toContain('1 unannotated image(s) are skipped.');
  });

  it('trains a single annotated image and warns that nothing validates', () => {
    const s = summarizePlan(plan({ train: images('only.png'), counts: { none: { images: 1, annotated: 1 } } }));
    expect(s).toMatchObject({ canTrain: true, level: 'warn' });
    expect(s.message).toMatch(/the one annotated image trains and none validates/);
  });

  it("describes the user's split, warning when nothing validates", () => {
    const withValidation = summarizePlan(
      plan({ mode: 'manual', train: images('a', 'b', 'c'), validation: images('d', 'e'), counts: { train: { images: 5, annotated: 3 }, validation: { images: 2, annotated: 2 }, none: { images: 4, annotated: 4 } } }),
    );
    expect(withValidation).toMatchObject({ canTrain: true, level: 'ok' });
    expect(withValidation.message).toContain('Your split: 3 of 5 training image(s) annotated; 2 validation image(s) scored while training.');
    expect(withValidation.message).toContain('2 unannotated training image(s) are skipped.');
    expect(withValidation.message).toContain('4 image(s) in no split are not used.');
    const without = summarizePlan(plan({ mode: 'manual', train: images('a'), counts: { train: { images: 1, annotated: 1 } } }));
    expect(without).toMatchObject({ canTrain: true, level: 'warn' });
    expect(without.message).toContain('no validation IoU');
  });
});

describe('listNames', () => {
  it('lists a few names and counts the rest', () => {
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(['a', 'b', 'c', 'd', 'e', 'f'], 3)).toBe('a, b, c and 3 more');
  });
});
