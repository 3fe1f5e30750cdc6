/** Counts behind the split summary of the Train view (images per split, and how many have annotations). */
export interface SplitCounts {
  train: number;
  trainAnnotated: number;
  validation: number;
  validationAnnotated: number;
  test: number;
  unassigned: number;
}

export interface SplitSummary {
  /** Training can start: at least one annotated training image. */
  canTrain: boolean;
  level: 'ok' | 'warn' | 'error';
  message: string;
}

/** What the user needs to hear about a data set's splits before training on it. */
export function summarizeSplits(c: SplitCounts): SplitSummary {
  if (c.train === 0) {
    const hint = c.unassigned > 0 ? ` ${c.unassigned} image(s) are in no split: assign some to "train" in the Library.` : ' Import images and assign them to "train" in the Library.';
    return { canTrain: false, level: 'error', message: `No training images.${hint}` };
  }
  if (c.trainAnnotated === 0) {
    return {
      canTrain: false,
      level: 'error',
      message: `None of the ${c.train} training image(s) is annotated. Paint at least one in Annotate (or import masks) before training.`,
    };
  }
  const trainText = `${c.trainAnnotated} of ${c.train} training image(s) annotated`;
  if (c.validationAnnotated === 0) {
    return {
      canTrain: true,
      level: 'warn',
      message: `${trainText}; no annotated validation image, so no validation IoU will be measured while training.`,
    };
  }
  const skipped = c.train - c.trainAnnotated;
  return {
    canTrain: true,
    level: 'ok',
    message: `${trainText}; ${c.validationAnnotated} validation image(s) scored while training.${skipped > 0 ? ` ${skipped} unannotated training image(s) are skipped.` : ''}`,
  };
}
