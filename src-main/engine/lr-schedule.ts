import type { LrSchedule } from '../../src-shared/contract/training';
import type { TrainConfig } from './train-config';

/** Measured best at the budgets a CPU affords (docs/engine.md). */
export const DEFAULT_LR_SCHEDULE: LrSchedule = 'constant';

/** The cosine schedule ends at this share of the base rate, not at 0: the last steps still learn a little. */
export const COSINE_FLOOR = 0.05;

/**
 * Learning rate at a 1-based step: a linear warm-up, then constant or a cosine decay over the run.
 * `progress` is how much of the budget is spent (0..1): the larger of steps done / steps and
 * seconds spent / minutes, so a run that a time budget ends still finishes its decay.
 */
export function learningRateAt(config: Pick<TrainConfig, 'learningRate' | 'warmupSteps'> & { lrSchedule?: LrSchedule }, step: number, progress = 0): number {
  if (config.warmupSteps > 0 && step < config.warmupSteps) return (config.learningRate * step) / config.warmupSteps;
  if ((config.lrSchedule ?? DEFAULT_LR_SCHEDULE) === 'constant') return config.learningRate;
  const p = Math.min(1, Math.max(0, progress));
  return config.learningRate * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/** Share of the budget spent at `step` after `elapsedSeconds`. */
export function budgetProgress(config: Pick<TrainConfig, 'steps' | 'minutes'>, step: number, elapsedSeconds: number): number {
  const byTime = config.minutes !== undefined ? elapsedSeconds / (config.minutes * 60) : 0;
  return Math.min(1, Math.max(step / config.steps, byTime));
}
