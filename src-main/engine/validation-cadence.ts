/**
 * Share of a time-budgeted run's wall time that validation (with the checkpoints written beside it) may
 * take. Validating DSB 2018's enlarged images tile by tile cost about 20 s on 2 cores, as long as 60
 * training steps, so validating every 100 steps spent 38-45 % of a 12-minute run on it (docs/engine.md,
 * "Validation cadence").
 */
export const VALIDATION_TIME_SHARE = 0.2;

/**
 * When a training run validates. Always at multiples of `every` steps; with a time budget, only once the
 * training since the last validation took at least (1 - share) / share times what that validation took,
 * so validating spends at most `share` of the budget however slow it is. Without a time budget every
 * multiple validates, so step-budgeted runs stay reproducible.
 */
export class ValidationCadence {
  private lastCost = 0;
  private trainedSince = 0;

  constructor(
    private readonly every: number,
    private readonly share: number | null,
  ) {}

  /** Whether the run validates after `step`. */
  due(step: number): boolean {
    if (step % this.every !== 0) return false;
    if (this.share === null || this.lastCost === 0) return true;
    return this.trainedSince * this.share >= this.lastCost * (1 - this.share);
  }

  /** Seconds a training step took. */
  trained(seconds: number): void {
    this.trainedSince += seconds;
  }

  /** Seconds a validation took, with its checkpoints. */
  validated(seconds: number): void {
    this.lastCost = seconds;
    this.trainedSince = 0;
  }
}
