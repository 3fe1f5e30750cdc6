import { UnetError } from '../../../src-shared/contract/errors';

/**
 * An exponential moving average of the trained state (weights, biases, normalisation scales, shifts
 * and running statistics), which validation, checkpoints and the saved model use instead of the
 * last step's values. With a constant learning rate the last step's weights wander around the
 * minimum; their average sits nearer to it, without slowing the training itself (docs/engine.md).
 *
 * The decay ramps up as min(decay, (1 + n) / (10 + n)) after n updates, so the average follows the
 * fast early changes and then spans about 1 / (1 - decay) steps.
 */
export class WeightAverage {
  private constructor(
    readonly decay: number,
    private readonly values: Float32Array[],
    private count: number,
  ) {}

  /** Starts the average at the current state (copied). */
  static start(decay: number, current: readonly Float32Array[]): WeightAverage {
    if (!(decay > 0 && decay < 1)) throw new UnetError('INVALID_ARGUMENT', `a weight average's decay must be in (0, 1), got ${decay}`);
    return new WeightAverage(decay, current.map((a) => a.slice()), 0);
  }

  /** An average saved with `state()`; its arrays must match the state it averages. */
  static restore(decay: number, saved: { updates: number; values: readonly Float32Array[] }, like: readonly Float32Array[]): WeightAverage {
    if (saved.values.length !== like.length || saved.values.some((v, i) => v.length !== like[i].length) || !(Number.isInteger(saved.updates) && saved.updates >= 0)) {
      throw new UnetError('CORRUPT', 'the checkpoint\'s weight average does not match the network');
    }
    const average = WeightAverage.start(decay, saved.values);
    average.count = saved.updates;
    return average;
  }

  get updates(): number {
    return this.count;
  }

  /** The share the average keeps at the next update. */
  nextKeep(): number {
    const n = this.count + 1;
    return Math.min(this.decay, (1 + n) / (10 + n));
  }

  /** Moves the average towards the current state. */
  update(current: readonly Float32Array[]): void {
    if (current.length !== this.values.length) throw new UnetError('INTERNAL', `weight average of ${this.values.length} arrays updated with ${current.length}`);
    const keep = this.nextKeep();
    const take = 1 - keep;
    for (let k = 0; k < current.length; k++) {
      const avg = this.values[k];
      const now = current[k];
      for (let i = 0; i < avg.length; i++) avg[i] += take * (now[i] - avg[i]);
    }
    this.count++;
  }

  /** The averaged arrays, in the order given (read-only by convention: they change with `update`). */
  get current(): readonly Float32Array[] {
    return this.values;
  }

  state(): { updates: number; values: Float32Array[] } {
    return { updates: this.count, values: this.values.map((a) => a.slice()) };
  }
}
