import type { Split } from '../../src-shared/contract/records';
import { createRng } from '../../src-shared/imaging/rng';

/** Share of the annotated images held out for validation when the split is automatic. */
export const AUTO_VALIDATION_FRACTION = 0.2;

/**
 * How many of `n` items validate: round(fraction * n), at least one when there are two or more (so a
 * validation IoU is measured) and never all of them (so something trains); none of a single item.
 */
export function heldOutCount(n: number, fraction: number): number {
  if (n < 2 || fraction <= 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
}

/**
 * The seeded hold-out: the items shuffled (Fisher-Yates) with the seed, the first `heldOutCount`
 * validate. Both parts keep the input order. The same items, order and seed always give the same split.
 */
export function seededHoldOut<T>(items: readonly T[], fraction: number, seed: number): { train: T[]; validation: T[] } {
  const count = heldOutCount(items.length, fraction);
  if (count === 0) return { train: [...items], validation: [] };
  const order = items.map((_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const held = new Set(order.slice(0, count));
  return { train: items.filter((_, i) => !held.has(i)), validation: items.filter((_, i) => held.has(i)) };
}

/** What the split rule needs to know about an image. */
export interface SplitCandidate {
  imageId: number;
  split: Split | null;
  annotated: boolean;
}

export interface SplitDecision {
  /** 'manual': the user put images in train or validation, and that split is used as it is. */
  mode: 'manual' | 'automatic';
  trainIds: number[];
  validationIds: number[];
}

/**
 * The one rule for what a run trains and validates on. When any image of the data set is in the
 * train or validation split, the user's split wins: its annotated images train and validate as
 * assigned. Otherwise the annotated images in no split (test images stay held out) are split with
 * `seededHoldOut`: about 80 % train, 20 % validate. Candidates come in the data set's name order.
 */
export function decideSplit(images: readonly SplitCandidate[], seed: number, fraction = AUTO_VALIDATION_FRACTION): SplitDecision {
  const manual = images.some((i) => i.split === 'train' || i.split === 'validation');
  if (manual) {
    const annotatedIn = (split: Split) => images.filter((i) => i.annotated && i.split === split).map((i) => i.imageId);
    return { mode: 'manual', trainIds: annotatedIn('train'), validationIds: annotatedIn('validation') };
  }
  const pool = images.filter((i) => i.annotated && i.split === null).map((i) => i.imageId);
  const { train, validation } = seededHoldOut(pool, fraction, seed);
  return { mode: 'automatic', trainIds: train, validationIds: validation };
}
