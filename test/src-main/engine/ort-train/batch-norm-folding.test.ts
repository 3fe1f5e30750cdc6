import { describe, expect, it } from 'vitest';
import { foldBatchNorm } from '../../../../src-main/engine/ort-train/batch-norm-folding';
import { BATCH_NORM_EPSILON } from '../../../../src-main/engine/ort-train/unet-forward';
import { createRng } from '../../../../src-shared/imaging/rng';

/** A valid 3x3 convolution of one [C, H, W] input with ONNX weights [O, C, 3, 3], output [O, H-2, W-2]. */
function conv3x3(x: Float32Array, c: number, h: number, w: number, weight: Float32Array, bias: Float32Array): Float32Array {
  const o = bias.length;
  const oh = h - 2;
  const ow = w - 2;
  const y = new Float32Array(o * oh * ow);
  for (let k = 0; k < o; k++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let s = bias[k];
        for (let ch = 0; ch < c; ch++) for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) s += weight[((k * c + ch) * 3 + dy) * 3 + dx] * x[(ch * h + i + dy) * w + j + dx];
        y[(k * oh + i) * ow + j] = s;
      }
    }
  }
  return y;
}

describe('folding a batch normalisation into its convolution', () => {
  it('gives what the convolution followed by the normalisation (running statistics) gives', () => {
    const rng = createRng(4);
    const [c, o, h, w] = [3, 5, 9, 8];
    const draw = (n: number, f: () => number) => Float32Array.from({ length: n }, f);
    const x = draw(c * h * w, () => rng.normal());
    const weight = draw(o * c * 9, () => rng.normal() * 0.3);
    const bias = draw(o, () => rng.normal() * 0.1);
    const bn = { scale: draw(o, () => 1 + 0.5 * rng.normal()), shift: draw(o, () => rng.normal()), mean: draw(o, () => rng.normal()), variance: draw(o, () => 0.1 + rng.next() * 3) };
    const y = conv3x3(x, c, h, w, weight, bias);
    const folded = foldBatchNorm(weight, bias, bn);
    const z = conv3x3(x, c, h, w, folded.weight, folded.bias);
    const plane = (h - 2) * (w - 2);
    let worst = 0;
    for (let k = 0; k < o; k++) {
      for (let i = 0; i < plane; i++) {
        const expected = ((y[k * plane + i] - bn.mean[k]) / Math.sqrt(bn.variance[k] + BATCH_NORM_EPSILON)) * bn.scale[k] + bn.shift[k];
        worst = Math.max(worst, Math.abs(expected - z[k * plane + i]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    // The inputs are left as they were.
    expect(folded.weight).not.toBe(weight);
    expect(Array.from(folded.weight)).not.toEqual(Array.from(weight));
  });
});
