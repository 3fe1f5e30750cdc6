/**
 * How bench:paper holds images out. The test images are a contiguous block of the natural order (the
 * last ones, or K rotating blocks), or spread over it (every K-th image). The validation images, which
 * choose the kept checkpoint and calibrate the instance post-processing, are held out the same way by
 * default: in a stack or time-lapse, a slice between two training slices looks like them and scores far
 * above a block the model never came near, and a setting chosen there fails on unseen data.
 */
import { shardOf } from '../../../src-main/workflows/segment-files';

export interface HeldOutSplit<T> {
  train: T[];
  /** Empty when the validation images are left to the app's random split. */
  validation: T[];
  test: T[];
}

export const VALIDATION_RULES = ['like-test', 'random'] as const;
export type ValidationRule = (typeof VALIDATION_RULES)[number];

export interface SplitOptions {
  /** Share of the images tested (one split), ignored with `folds`. */
  testFraction: number;
  /** K folds: K trainings, each holding out a different block (or every K-th image from a different offset). */
  folds?: number;
  /** Spread the held-out images over the order (every K-th) instead of contiguous blocks. */
  spread: boolean;
  /** Share of the training images that validate. */
  validationFraction: number;
  validation: ValidationRule;
}

/** Every k-th item from `offset`: a held-out set spread over the natural order (each kind of image named alike in it). */
export function everyKth<T>(list: readonly T[], k: number, offset: number): T[] {
  return list.filter((_, i) => i % k === offset);
}

function withoutItems<T>(list: readonly T[], removed: readonly T[]): T[] {
  const set = new Set(removed);
  return list.filter((item) => !set.has(item));
}

/**
 * Validation images held out like the test: spread (every k-th training image) when the test is spread,
 * otherwise the training images just before the test block (wrapping to the end when the test block
 * opens the order), at least one, and at least one image left to train on.
 */
export function validationLikeTest<T>(all: readonly T[], train: readonly T[], test: readonly T[], fraction: number, spread: boolean): T[] {
  if (train.length < 2) return [];
  const count = Math.min(train.length - 1, Math.max(1, Math.round(fraction * train.length)));
  if (spread) {
    const step = Math.max(2, Math.round(train.length / count));
    return everyKth(train, step, step - 1).slice(0, count);
  }
  const firstTest = all.indexOf(test[0]);
  const trainSet = new Set(train);
  const before: T[] = [];
  for (let k = 1; k <= all.length && before.length < count; k++) {
    const item = all[(firstTest - k + all.length) % all.length];
    if (trainSet.has(item)) before.unshift(item);
  }
  return before;
}

/** The trainings bench:paper runs: one split by default, or K folds. */
export function heldOutSplits<T>(all: readonly T[], options: SplitOptions): HeldOutSplit<T>[] {
  const tests: T[][] = [];
  if (options.folds !== undefined) {
    for (let i = 0; i < options.folds; i++) tests.push(options.spread ? everyKth(all, options.folds, i) : shardOf([...all], i + 1, options.folds));
  } else if (options.spread) {
    const step = Math.max(2, Math.round(1 / options.testFraction));
    tests.push(everyKth(all, step, step - 1));
  } else {
    const count = Math.min(all.length - 1, Math.max(1, Math.round(options.testFraction * all.length)));
    tests.push(all.slice(all.length - count));
  }
  return tests.map((test) => {
    const rest = withoutItems(all, test);
    const validation = options.validation === 'like-test' ? validationLikeTest(all, rest, test, options.validationFraction, options.spread) : [];
    return { train: withoutItems(rest, validation), validation, test };
  });
}
