import type { TrainingSplitPlan } from '../../../../src-shared/contract/training';

export interface SplitSummary {
  /** Training can start: the services would accept this data set as it is. */
  canTrain: boolean;
  level: 'ok' | 'warn' | 'error';
  message: string;
}

/** Up to `max` names, then how many more. */
export function listNames(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** What the user needs to hear, before the click, about the split a run would use. */
export function summarizePlan(plan: TrainingSplitPlan): SplitSummary {
  if (plan.blocker) return { canTrain: false, level: 'error', message: `Cannot train yet: ${plan.blocker}.` };
  return plan.mode === 'manual' ? summarizeManual(plan) : summarizeAutomatic(plan);
}

function summarizeManual(plan: TrainingSplitPlan): SplitSummary {
  const { train, none } = plan.counts;
  const parts = [`Your split: ${train.annotated} of ${train.images} training image(s) annotated`];
  const notes: string[] = [];
  if (train.images > train.annotated) notes.push(`${train.images - train.annotated} unannotated training image(s) are skipped.`);
  if (none.images > 0) notes.push(`${none.images} image(s) in no split are not used.`);
  if (plan.validation.length === 0) {
    parts.push('no annotated validation image, so no validation IoU will be measured while training.');
    return { canTrain: true, level: 'warn', message: [parts.join('; '), ...notes].join(' ') };
  }
  parts.push(`${plan.validation.length} validation image(s) scored while training.`);
  return { canTrain: true, level: 'ok', message: [parts.join('; '), ...notes].join(' ') };
}

function summarizeAutomatic(plan: TrainingSplitPlan): SplitSummary {
  const { none, test } = plan.counts;
  const notes: string[] = [];
  if (test.images > 0) notes.push(`${test.images} test image(s) stay held out.`);
  if (none.images > none.annotated) notes.push(`${none.images - none.annotated} unannotated image(s) are skipped.`);
  notes.push('Assign splits in the Library to choose them yourself.');
  if (plan.validation.length === 0) {
    const head = `Automatic split: the one annotated image trains and none validates, so no validation IoU will be measured.`;
    return { canTrain: true, level: 'warn', message: [head, ...notes].join(' ') };
  }
  const percent = Math.round(plan.validationFraction * 100);
  const head =
    `Automatic split (seed ${plan.seed}, about ${percent} % validation) of the ${plan.train.length + plan.validation.length} annotated image(s) in no split: ` +
    `${plan.train.length} train, ${plan.validation.length} validate.`;
  return { canTrain: true, level: 'ok', message: [head, ...notes].join(' ') };
}
