import * as tf from '@tensorflow/tfjs-core';
import { UnetError } from '../../src-shared/contract/errors';

/**
 * The paper's energy, E = sum_x w(x) log p_l(x)(x), as a loss to minimise: the pixel-wise softmax
 * cross-entropy weighted by the weight map, divided by the sum of the weights (a weighted mean).
 *
 * - `logits` [n, h, w, K] come straight from the network (no softmax).
 * - `target` [n, h, w, K] is the one-hot class map of the centre crop that the valid convolutions
 *   predict; unlabeled pixels (class 0) may be all-zero rows, since their weight is 0 anyway.
 * - `weights` [n, h, w, 1] is the weight map of the same crop (0 on unlabeled pixels).
 *
 * Dividing by the weight sum rather than the pixel count keeps the gradient scale independent of how
 * much of the tile is painted, so sparse annotation trains with the same learning rate. A tile with no
 * weight at all gives 0 (and no gradient).
 */
export function weightedCrossEntropy(logits: tf.Tensor4D, target: tf.Tensor4D, weights: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const logProb = tf.logSoftmax(logits, -1);
    const nll = tf.neg(tf.sum(tf.mul(target, logProb), -1, true));
    const total = tf.sum(tf.mul(nll, weights));
    const norm = tf.maximum(tf.sum(weights), 1e-12);
    return tf.div(total, norm) as tf.Scalar;
  });
}

/** Thrown (and reported) when the loss stops being a finite number: training has diverged. */
export function checkFiniteLoss(loss: number, step: number, learningRate: number): void {
  if (!Number.isFinite(loss)) {
    throw new UnetError(
      'INTERNAL',
      `training diverged: the loss became ${loss} at step ${step} (learning rate ${learningRate}); lower the learning rate or lengthen the warm-up`,
      { step, loss: String(loss), learningRate, reason: 'diverged' },
    );
  }
}
