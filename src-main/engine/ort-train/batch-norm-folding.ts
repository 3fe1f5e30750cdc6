import { BATCH_NORM_EPSILON } from './unet-forward';

/** A batch normalisation's trained values and running statistics, one value per channel. */
export interface BatchNormValues {
  scale: Float32Array;
  shift: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

/**
 * Folds a batch normalisation (inference mode: running statistics) into the convolution before it:
 * bn(conv(x)) = conv'(x) with w'[o] = w[o] * s[o] and b'[o] = (b[o] - mean[o]) * s[o] + shift[o],
 * s = scale / sqrt(variance + eps). `weight` is ONNX's [out, in, kh, kw]; new arrays are returned.
 * This keeps every saved model the paper's network: inference, exports and fine-tuning never see a
 * normalisation layer.
 */
export function foldBatchNorm(weight: Float32Array, bias: Float32Array, bn: BatchNormValues): { weight: Float32Array; bias: Float32Array } {
  const out = bias.length;
  const perOutput = weight.length / out;
  const foldedWeight = new Float32Array(weight.length);
  const foldedBias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const s = bn.scale[o] / Math.sqrt(bn.variance[o] + BATCH_NORM_EPSILON);
    for (let j = 0; j < perOutput; j++) foldedWeight[o * perOutput + j] = weight[o * perOutput + j] * s;
    foldedBias[o] = (bias[o] - bn.mean[o]) * s + bn.shift[o];
  }
  return { weight: foldedWeight, bias: foldedBias };
}
