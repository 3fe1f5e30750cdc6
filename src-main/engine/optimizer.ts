import * as tf from '@tensorflow/tfjs-core';
import { UnetError } from '../../src-shared/contract/errors';

export type OptimizerKind = 'sgd' | 'adam';

/** Optimizer slots as plain arrays, in variable order: what a checkpoint stores to resume exactly. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Updates applied so far (Adam's bias correction needs it). */
  iterations: number;
  slots: Array<{ name: string; shape: number[]; data: Float32Array }>;
}

/**
 * SGD with momentum (v = m v + g; w -= lr v, as tfjs and Caffe's equivalent form) or Adam, with the
 * learning rate passed per step (for the warm-up) and slots that can be saved and restored, so a resumed
 * run continues exactly where it stopped.
 */
export class TrainOptimizer {
  private readonly slots: tf.Variable[][];
  private iterations = 0;

  constructor(
    readonly kind: OptimizerKind,
    private readonly variables: tf.Variable[],
    private readonly momentum: number,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    const perVariable = kind === 'sgd' ? 1 : 2;
    this.slots = variables.map((v) => Array.from({ length: perVariable }, () => tf.variable(tf.zerosLike(v), false)));
  }

  /** Applies one update; `grads` are in the order of the variables. */
  apply(grads: tf.Tensor[], learningRate: number): void {
    if (grads.length !== this.variables.length) throw new UnetError('INTERNAL', `expected ${this.variables.length} gradients, got ${grads.length}`);
    this.iterations++;
    const t = this.iterations;
    tf.tidy(() => {
      for (let i = 0; i < this.variables.length; i++) {
        const v = this.variables[i];
        const g = grads[i];
        if (this.kind === 'sgd') {
          const [velocity] = this.slots[i];
          const next = tf.add(tf.mul(velocity, this.momentum), g);
          velocity.assign(next);
          v.assign(tf.sub(v, tf.mul(next, learningRate)));
        } else {
          const [m, s] = this.slots[i];
          const beta1 = this.momentum;
          const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
          const sNext = tf.add(tf.mul(s, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
          m.assign(mNext);
          s.assign(sNext);
          const stepSize = (learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - beta1 ** t);
          v.assign(tf.sub(v, tf.mul(tf.div(mNext, tf.add(tf.sqrt(sNext), this.epsilon)), stepSize)));
        }
      }
    });
  }

  async getState(): Promise<OptimizerState> {
    const slots: OptimizerState['slots'] = [];
    for (let i = 0; i < this.slots.length; i++) {
      for (let j = 0; j < this.slots[i].length; j++) {
        const s = this.slots[i][j];
        slots.push({ name: `${this.variables[i].name}/slot${j}`, shape: s.shape.slice(), data: (await s.data()) as Float32Array });
      }
    }
    return { kind: this.kind, iterations: this.iterations, slots };
  }

  setState(state: OptimizerState): void {
    const flat = this.slots.flat();
    if (state.kind !== this.kind || state.slots.length !== flat.length) {
      throw new UnetError('CORRUPT', `optimizer state is for ${state.kind} with ${state.slots.length} slots; this run uses ${this.kind} with ${flat.length}`);
    }
    flat.forEach((slot, i) => {
      const saved = state.slots[i];
      if (saved.shape.join('x') !== slot.shape.join('x')) {
        throw new UnetError('CORRUPT', `optimizer slot ${i} has shape ${saved.shape.join('x')}, expected ${slot.shape.join('x')}`);
      }
      tf.tidy(() => slot.assign(tf.tensor(saved.data, saved.shape, 'float32')));
    });
    this.iterations = state.iterations;
  }

  dispose(): void {
    for (const list of this.slots) for (const s of list) s.dispose();
  }
}

/** Optimizer state as two files of a checkpoint folder: a JSON manifest and the raw float32 slots. */
export function encodeOptimizerState(state: OptimizerState): { manifest: object; data: Uint8Array } {
  const total = state.slots.reduce((n, s) => n + s.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const s of state.slots) {
    data.set(s.data, offset);
    offset += s.data.length;
  }
  return {
    manifest: { kind: state.kind, iterations: state.iterations, slots: state.slots.map((s) => ({ name: s.name, shape: s.shape })) },
    data: new Uint8Array(data.buffer),
  };
}

export function decodeOptimizerState(manifest: Record<string, unknown>, bytes: Uint8Array): OptimizerState {
  const kind = manifest.kind;
  const iterations = manifest.iterations;
  const slots = manifest.slots as Array<{ name: string; shape: number[] }> | undefined;
  if ((kind !== 'sgd' && kind !== 'adam') || typeof iterations !== 'number' || !Array.isArray(slots)) {
    throw new UnetError('CORRUPT', 'optimizer manifest is malformed');
  }
  const floats = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(floats.buffer).set(bytes.subarray(0, floats.length * 4));
  let offset = 0;
  const out: OptimizerState['slots'] = [];
  for (const s of slots) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (offset + n > floats.length) throw new UnetError('CORRUPT', 'optimizer data is shorter than its manifest');
    out.push({ name: s.name, shape: s.shape, data: floats.slice(offset, offset + n) });
    offset += n;
  }
  if (offset !== floats.length) throw new UnetError('CORRUPT', 'optimizer data is longer than its manifest');
  return { kind, iterations, slots: out };
}
