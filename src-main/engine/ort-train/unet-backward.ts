import { int, ints, type GraphBuilder } from './graph-builder';
import { batchNormScale, batchNormShift, type BatchNormRecord, type ConvRecord, type ForwardRecord, type LevelRecord, type Shape4 } from './unet-forward';

/**
 * Reverse-mode gradients of the forward pass in `fwd` with respect to every parameter, from standard
 * ONNX operators only. Returns parameter name -> gradient value name.
 *
 * - ReLU: dz = Where(y > 0, dy, 0).
 * - 3x3 valid convolution: dX = Conv(dZ, W transposed and flipped, pads 2); dW per tap, a Gemm of dZ
 *   and the shifted input; db = ReduceSum over batch and space.
 * - 2x2 max-pool: the gradient goes to the input the maximum came from (MaxPool's argmax output, a
 *   flat NCHW index), scattered into zeros. On ties the argmax picks one input, as tfjs does.
 * - 2x2 stride-2 up-convolution: dX = Conv(dY, W, stride 2); dW per tap from the stride-2 views of dY.
 * - crop: Pad; concatenation: Split; dropout: times the same mask.
 * - batch normalisation (training mode): through the batch statistics, see `batchNormBackward`.
 */
export function buildBackward(
  g: GraphBuilder,
  fwd: ForwardRecord,
  dLogits: string,
  param: (name: string) => string,
): Map<string, string> {
  const grads = new Map<string, string>();
  const zero = g.scalar(0);

  const convBackward = (rec: ConvRecord, dOut: string, needInputGrad: boolean): string | null => {
    const dActive = rec.relu ? g.op('Where', `${rec.layer}_grad_relu`, [g.op('Greater', `${rec.layer}_active`, [rec.output, zero]), dOut, zero]) : dOut;
    const dz = rec.batchNorm ? batchNormBackward(rec.layer, rec.batchNorm, dActive, rec.outputShape[1]) : dActive;
    const [n, o, h, w] = rec.outputShape;
    const i = rec.inputShape[1];
    const k = rec.kernel;
    grads.set(`${rec.layer}.bias`, g.op('ReduceSum', `${rec.layer}_grad_bias`, [dz, g.int64([0, 2, 3])], { keepdims: int(0) }));
    const dz2 = channelsFirst2d(g, `${rec.layer}_grad_dz`, dz, rec.outputShape);
    const x = n === 1 ? rec.input : g.op('Transpose', `${rec.layer}_grad_xt`, [rec.input], { perm: ints([1, 0, 2, 3]) });
    const tap = (ky: number, kx: number): string => {
      const view = k === 1 ? x : g.op('Slice', `${rec.layer}_grad_x${ky}${kx}`, [x, g.int64([ky, kx]), g.int64([ky + h, kx + w]), g.int64([2, 3])]);
      return g.op('Reshape', `${rec.layer}_grad_x${ky}${kx}_2d`, [view, g.int64([i, n * h * w])]);
    };
    // Nine Gemm(dZ, shifted X, transB), stacked: measured faster than one Gemm on the nine views
    // concatenated (im2col) and than contiguous views of a zero-padded dZ.
    const taps: string[] = [];
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        const gemm = g.op('Gemm', `${rec.layer}_grad_w${ky}${kx}`, [dz2, tap(ky, kx)], { transB: int(1) });
        taps.push(g.op('Reshape', `${rec.layer}_grad_w${ky}${kx}_3d`, [gemm, g.int64([o, i, 1])]));
      }
    }
    const dW = taps.length === 1 ? taps[0] : g.op('Concat', `${rec.layer}_grad_w_taps`, taps, { axis: int(2) });
    grads.set(`${rec.layer}.weight`, g.op('Reshape', `${rec.layer}_grad_weight`, [dW, g.int64([o, i, k, k])]));
    if (!needInputGrad) return null;
    // dX is the full convolution of dZ with the kernel transposed (in <-> out) and flipped in space.
    const wt = g.op('Transpose', `${rec.layer}_grad_wt`, [param(`${rec.layer}.weight`)], { perm: ints([1, 0, 2, 3]) });
    const flipped = k === 1 ? wt : g.op('Slice', `${rec.layer}_grad_wflip`, [wt, g.int64([-1, -1]), g.int64([-k - 1, -k - 1]), g.int64([2, 3]), g.int64([-1, -1])]);
    return g.op('Conv', `${rec.layer}_grad_input`, [dz, flipped], {
      kernel_shape: ints([k, k]),
      pads: ints([k - 1, k - 1, k - 1, k - 1]),
      strides: ints([1, 1]),
    });
  };

  /**
   * Batch normalisation with the batch's statistics: dshift = sum(d), dscale = sum(d * xhat), and the
   * gradient reaching the convolution, scale / std * (d - mean(d) - xhat * mean(d * xhat)), which
   * includes the paths through the batch mean and variance.
   */
  const batchNormBackward = (layer: string, bn: BatchNormRecord, d: string, channels: number): string => {
    const axes = g.int64([0, 2, 3]);
    const dShift = g.op('ReduceSum', `${layer}_grad_bn_shift`, [d, axes], { keepdims: int(0) });
    const dScale = g.op('ReduceSum', `${layer}_grad_bn_scale`, [g.op('Mul', `${layer}_grad_bn_dxhat`, [d, bn.normalised]), axes], { keepdims: int(0) });
    grads.set(batchNormShift(layer), dShift);
    grads.set(batchNormScale(layer), dScale);
    const channel4 = g.int64([1, channels, 1, 1]);
    const perValue = g.scalar(1 / bn.count);
    const meanD = g.op('Mul', `${layer}_grad_bn_mean_d`, [g.op('Reshape', `${layer}_grad_bn_shift4`, [dShift, channel4]), perValue]);
    const meanDx = g.op('Mul', `${layer}_grad_bn_mean_dx`, [g.op('Reshape', `${layer}_grad_bn_scale4`, [dScale, channel4]), perValue]);
    const inner = g.op('Sub', `${layer}_grad_bn_inner`, [g.op('Sub', `${layer}_grad_bn_centred`, [d, meanD]), g.op('Mul', `${layer}_grad_bn_proj`, [bn.normalised, meanDx])]);
    return g.op('Mul', `${layer}_grad_bn`, [inner, g.op('Mul', `${layer}_grad_bn_gain`, [bn.scale4, bn.invStd])]);
  };

  const upBackward = (layer: string, x: string, xShape: Shape4, dOut: string, outShape: Shape4): string => {
    const [n, ci, h, w] = xShape;
    const co = outShape[1];
    grads.set(`${layer}.bias`, g.op('ReduceSum', `${layer}_grad_bias`, [dOut, g.int64([0, 2, 3])], { keepdims: int(0) }));
    const x2 = channelsFirst2d(g, `${layer}_grad_x`, x, xShape);
    const taps: string[] = [];
    for (let ky = 0; ky < 2; ky++) {
      for (let kx = 0; kx < 2; kx++) {
        // Output pixel (2i + ky, 2j + kx) saw input pixel (i, j) through tap (ky, kx).
        const view = g.op('Slice', `${layer}_grad_dy${ky}${kx}`, [dOut, g.int64([ky, kx]), g.int64([outShape[2], outShape[3]]), g.int64([2, 3]), g.int64([2, 2])]);
        const dy2 = channelsFirst2d(g, `${layer}_grad_dy${ky}${kx}`, view, [n, co, h, w]);
        const gemm = g.op('Gemm', `${layer}_grad_w${ky}${kx}`, [x2, dy2], { transB: int(1) });
        taps.push(g.op('Reshape', `${layer}_grad_w${ky}${kx}_3d`, [gemm, g.int64([ci, co, 1])]));
      }
    }
    const stacked = g.op('Concat', `${layer}_grad_w_taps`, taps, { axis: int(2) });
    grads.set(`${layer}.weight`, g.op('Reshape', `${layer}_grad_weight`, [stacked, g.int64([ci, co, 2, 2])]));
    // ConvTranspose's weight [in, out, 2, 2] is, read as a Conv weight [M = in, C = out], its adjoint.
    return g.op('Conv', `${layer}_grad_input`, [dOut, param(`${layer}.weight`)], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  };

  const poolBackward = (level: LevelRecord, dPooled: string): string => {
    // Each pooled gradient goes back to the position its maximum came from (the forward pass's argmax).
    const [n, c, h, w] = level.conv2.outputShape;
    const size = n * c * h * w;
    const indices = g.op('Reshape', `enc${level.level}_pool_grad_indices`, [level.argmax as string, g.int64([-1])]);
    const updates = g.op('Reshape', `enc${level.level}_pool_grad_updates`, [dPooled, g.int64([-1])]);
    const zeros = g.op('ConstantOfShape', `enc${level.level}_pool_grad_zeros`, [g.int64([size])]);
    const scattered = g.op('ScatterElements', `enc${level.level}_pool_grad_scatter`, [zeros, indices, updates], { axis: int(0) });
    return g.op('Reshape', `enc${level.level}_pool_grad`, [scattered, g.int64([n, c, h, w])]);
  };

  // Output layer and decoder, last level first.
  let d = convBackward(fwd.output, dLogits, true) as string;
  const skipGrads = new Map<number, string>();
  for (let i = fwd.decoder.length - 1; i >= 0; i--) {
    const dec = fwd.decoder[i];
    d = convBackward(dec.conv2, d, true) as string;
    const dCat = convBackward(dec.conv1, d, true) as string;
    const c = dec.channels;
    const [dCrop, dUp] = g.opN('Split', `dec${dec.level}_concat_grad`, [dCat, g.int64([c, c])], 2, { axis: int(1) });
    const o = fwd.encoder[dec.level - 1].crop;
    skipGrads.set(dec.level, g.op('Pad', `dec${dec.level}_crop_grad`, [dCrop, g.int64([0, 0, o, o, 0, 0, o, o])]));
    d = upBackward(`dec${dec.level}_up`, dec.upInput, dec.upInputShape, dUp, dec.upOutputShape);
  }
  if (fwd.dropoutMask) d = g.op('Mul', 'bottom_dropout_grad', [d, fwd.dropoutMask]);
  d = convBackward(fwd.bottom.conv2, d, true) as string;
  d = convBackward(fwd.bottom.conv1, d, true) as string;
  for (let i = fwd.encoder.length - 1; i >= 0; i--) {
    const level = fwd.encoder[i];
    const fromPool = poolBackward(level, d);
    const dSkip = g.op('Add', `enc${level.level}_grad_sum`, [fromPool, skipGrads.get(level.level) as string]);
    d = convBackward(level.conv2, dSkip, true) as string;
    const grad = convBackward(level.conv1, d, i > 0);
    if (grad) d = grad;
  }
  return grads;
}

/** [N, C, H, W] -> [C, N*H*W] (a free reshape when N = 1). */
function channelsFirst2d(g: GraphBuilder, name: string, value: string, shape: Shape4): string {
  const [n, c, h, w] = shape;
  const src = n === 1 ? value : g.op('Transpose', `${name}_cnhw`, [value], { perm: ints([1, 0, 2, 3]) });
  return g.op('Reshape', `${name}_2d`, [src, g.int64([c, n * h * w])]);
}
