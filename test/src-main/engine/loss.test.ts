import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { checkFiniteLoss, weightedCrossEntropy } from '../../../src-main/engine/loss';

describe('weightedCrossEntropy', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is the weighted mean of -log p(true class) over labelled pixels', () => {
    // Three pixels, K = 3: pixel 0 class 1 (w 1), pixel 1 class 2 (w 3), pixel 2 unlabeled (w 0).
    const logits = tf.tensor4d([0, 0, 0, 0, 1, 2, 5, 5, 5], [1, 1, 3, 3]);
    const target = tf.tensor4d([0, 1, 0, 0, 0, 1, 0, 0, 0], [1, 1, 3, 3]);
    const weights = tf.tensor4d([1, 3, 0], [1, 1, 3, 1]);
    const p0 = 1 / 3;
    const p1 = Math.exp(2) / (1 + Math.exp(1) + Math.exp(2));
    const expected = (-1 * Math.log(p0) - 3 * Math.log(p1)) / 4;
    expect(weightedCrossEntropy(logits, target, weights).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([logits, target, weights]);
  });

  it('is 0 (not NaN) for a tile without weight', () => {
    const logits = tf.tensor4d([1, 2], [1, 1, 1, 2]);
    const target = tf.tensor4d([0, 0], [1, 1, 1, 2]);
    const weights = tf.tensor4d([0], [1, 1, 1, 1]);
    expect(weightedCrossEntropy(logits, target, weights).dataSync()[0]).toBe(0);
    tf.dispose([logits, target, weights]);
  });

  it('reports a non-finite loss as a divergence naming the step', () => {
    expect(() => checkFiniteLoss(Number.NaN, 17, 0.01)).toThrow(/diverged.*step 17/);
    expect(() => checkFiniteLoss(Number.POSITIVE_INFINITY, 3, 0.01)).toThrow(/diverged/);
    expect(() => checkFiniteLoss(0.5, 3, 0.01)).not.toThrow();
  });
});
