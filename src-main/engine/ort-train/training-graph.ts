import type { OnnxModel } from '../onnx/onnx-writer';
import type { UNetArchitecture } from '../unet-architecture';
import { GraphBuilder, int } from './graph-builder';
import { buildBackward } from './unet-backward';
import { unetLayers } from '../unet-architecture';
import { batchNormScale, batchNormShift, buildForward, type ConvRecord, type ForwardRecord, type Shape4 } from './unet-forward';
import { parameterInput, unetParameters, type UnetParameter } from './unet-parameters';

export type OptimizerKind = 'sgd' | 'adam';

export interface TrainingGraphSpec {
  arch: UNetArchitecture;
  /** Square input tile (legal for the depth). */
  tile: number;
  /** Tiles per step. */
  batch: number;
  optimizer: OptimizerKind;
  /** SGD momentum, or Adam's beta1. */
  momentum: number;
  beta2?: number;
  epsilon?: number;
  /** Also output every gradient as `grad:NAME` (for tests against other implementations). */
  outputGradients?: boolean;
  /** Batch normalisation before every 3x3 convolution's ReLU (training mode; see `unet-forward.ts`). */
  batchNorm?: boolean;
}

/** Names and shapes of the training step's inputs and outputs. */
export interface TrainingGraphIO {
  input: string;
  target: string;
  weights: string;
  dropoutMask: string | null;
  learningRate: string;
  loss: string;
  inputShape: Shape4;
  targetShape: Shape4;
  weightsShape: Shape4;
  dropoutShape: Shape4 | null;
  /** The paper's network's parameters (convolution weights and biases). */
  parameters: UnetParameter[];
  /** Batch normalisation's scales and shifts (trained like parameters); empty without it. */
  normParameters: BatchNormParameter[];
  /** Batch normalisation's running statistics (updated by each step, not trained); empty without it. */
  normStatistics: BatchNormStatistic[];
  /** Optimizer slots per parameter: 1 (SGD velocity) or 2 (Adam m, v). */
  slotsPerParameter: number;
  paramInput(name: string): string;
  paramOutput(name: string): string;
  slotInput(name: string, slot: number): string;
  slotOutput(name: string, slot: number): string;
  statInput(name: string): string;
  statOutput(name: string): string;
}

/** A batch normalisation scale or shift: one value per output channel of a 3x3 convolution. */
export interface BatchNormParameter {
  name: string;
  layer: string;
  role: 'scale' | 'shift';
  dims: [number];
  size: number;
}

/** A running mean or variance of a batch normalisation, one value per channel. */
export interface BatchNormStatistic {
  name: string;
  layer: string;
  role: 'mean' | 'variance';
  dims: [number];
  size: number;
}

/** Weight of the newest batch in the running statistics (PyTorch's default momentum). */
export const BATCH_NORM_MOMENTUM = 0.1;

/** The normalised layers (every 3x3 convolution, the ones followed by ReLU) and their channels. */
export function batchNormLayers(arch: UNetArchitecture): { layer: string; channels: number }[] {
  return unetLayers(arch)
    .filter((l) => l.activation === 'relu')
    .map((l) => ({ layer: l.name, channels: l.outChannels }));
}

export function batchNormParameters(arch: UNetArchitecture): BatchNormParameter[] {
  return batchNormLayers(arch).flatMap(({ layer, channels }) => [
    { name: batchNormScale(layer), layer, role: 'scale' as const, dims: [channels] as [number], size: channels },
    { name: batchNormShift(layer), layer, role: 'shift' as const, dims: [channels] as [number], size: channels },
  ]);
}

export function batchNormStatistics(arch: UNetArchitecture): BatchNormStatistic[] {
  return batchNormLayers(arch).flatMap(({ layer, channels }) => [
    { name: `${layer}.bn_mean`, layer, role: 'mean' as const, dims: [channels] as [number], size: channels },
    { name: `${layer}.bn_variance`, layer, role: 'variance' as const, dims: [channels] as [number], size: channels },
  ]);
}

export interface TrainingGraph {
  model: OnnxModel;
  io: TrainingGraphIO;
}


/**
 * One whole training step as an ONNX graph of standard operators: forward, the paper's weighted
 * softmax cross-entropy, backward, and the optimizer update.
 *
 * Inputs: `input` [N, C, T, T], `target` [N, K, t, t] (one-hot; all-zero where unlabeled), `weights`
 * [N, 1, t, t] (the weight map, 0 where unlabeled), `dropout_mask` (0 or 1/keep at the bottom),
 * `learning_rate` (a scalar; for Adam the bias-corrected step size), every parameter and optimizer slot.
 * Outputs: `loss` and the next value of every parameter and slot, to be fed back as the next step's
 * inputs.
 *
 * Loss = sum(w * -log p_label) / max(sum w, 1e-12), as the tfjs trainer; its gradient with respect to
 * the logits is (softmax - onehot) * w / max(sum w, 1e-12).
 *
 * With batch normalisation, its scales and shifts are trained as parameters, and its running statistics
 * are further inputs (`stat:NAME`) whose next values are outputs: mean and unbiased variance of the
 * batch, blended in with BATCH_NORM_MOMENTUM.
 */
export function buildTrainingGraph(spec: TrainingGraphSpec): TrainingGraph {
  const { arch, tile, batch } = spec;
  const g = new GraphBuilder();
  const parameters = unetParameters(arch);
  const slots = spec.optimizer === 'sgd' ? 1 : 2;
  const inputShape: Shape4 = [batch, arch.inChannels, tile, tile];
  const paramInput = parameterInput;
  const paramOutput = (name: string) => `param:${name}:next`;
  const slotInput = (name: string, slot: number) => `slot${slot}:${name}`;
  const slotOutput = (name: string, slot: number) => `slot${slot}:${name}:next`;

  const input = g.input('input', inputShape, 'normalised image tiles, NCHW');
  const forwardShapes = probeShapes(arch, inputShape);
  const t = forwardShapes.logits[2];
  const targetShape: Shape4 = [batch, arch.numClasses, t, t];
  const weightsShape: Shape4 = [batch, 1, t, t];
  const target = g.input('target', targetShape, 'one-hot class of each output pixel (all zero where unlabeled)');
  const weights = g.input('weights', weightsShape, 'loss weight of each output pixel (0 where unlabeled)');
  const dropoutShape = arch.dropout > 0 ? forwardShapes.bottom : null;
  const dropoutMask = dropoutShape ? g.input('dropout_mask', dropoutShape, '0 or 1 / keep-probability per bottom activation') : null;
  const learningRate = g.input('learning_rate', [], 'step size of this update');
  const batchNorm = spec.batchNorm === true;
  const normParameters = batchNorm ? batchNormParameters(arch) : [];
  const normStatistics = batchNorm ? batchNormStatistics(arch) : [];
  const statInput = (name: string) => `stat:${name}`;
  const statOutput = (name: string) => `stat:${name}:next`;
  const trained: { name: string; dims: number[] }[] = [...parameters, ...normParameters];
  for (const p of trained) g.input(paramInput(p.name), p.dims);
  for (const p of trained) for (let s = 0; s < slots; s++) g.input(slotInput(p.name, s), p.dims);
  for (const s of normStatistics) g.input(statInput(s.name), s.dims);

  const fwd = buildForward(g, arch, input, inputShape, paramInput, dropoutMask, true, batchNorm);
  if (batchNorm) updateRunningStatistics(g, fwd, statInput, statOutput);

  const logProb = g.op('LogSoftmax', 'log_softmax', [fwd.logits], { axis: int(1) });
  const weightSum = g.op('ReduceSum', 'weight_sum', [weights], { keepdims: int(0) });
  const norm = g.op('Max', 'weight_norm', [weightSum, g.scalar(1e-12)]);
  const picked = g.op('ReduceSum', 'label_log_prob', [g.op('Mul', 'target_log_prob', [target, logProb]), g.int64([1])], { keepdims: int(1) });
  const weighted = g.op('ReduceSum', 'weighted_log_prob', [g.op('Mul', 'pixel_weighted', [picked, weights])], { keepdims: int(0) });
  const loss = g.op('Neg', 'loss_neg', [g.op('Div', 'loss_mean', [weighted, norm])]);
  const scale = g.op('Div', 'pixel_scale', [weights, norm]);
  const dLogits = g.op('Mul', 'logits_grad', [g.op('Sub', 'softmax_minus_target', [g.op('Exp', 'softmax', [logProb]), target]), scale]);

  const grads = buildBackward(g, fwd, dLogits, paramInput);

  const beta1 = g.scalar(spec.momentum);
  for (const p of trained) {
    const grad = grads.get(p.name);
    if (!grad) throw new Error(`no gradient for ${p.name}`);
    const w = paramInput(p.name);
    if (spec.outputGradients) g.output(grad, `grad:${p.name}`, p.dims);
    if (spec.optimizer === 'sgd') {
      // v = momentum v + g; w -= lr v (the tfjs and Caffe form).
      const v = g.op('Add', `${p.name}_velocity`, [g.op('Mul', `${p.name}_momentum`, [slotInput(p.name, 0), beta1]), grad]);
      g.output(v, slotOutput(p.name, 0), p.dims);
      g.output(g.op('Sub', `${p.name}_update`, [w, g.op('Mul', `${p.name}_step`, [v, learningRate])]), paramOutput(p.name), p.dims);
    } else {
      const b2 = spec.beta2 ?? 0.999;
      const m = g.op('Add', `${p.name}_m`, [g.op('Mul', `${p.name}_m_decay`, [slotInput(p.name, 0), beta1]), g.op('Mul', `${p.name}_m_new`, [grad, g.scalar(1 - spec.momentum)])]);
      const sq = g.op('Mul', `${p.name}_grad_sq`, [grad, grad]);
      const v = g.op('Add', `${p.name}_v`, [g.op('Mul', `${p.name}_v_decay`, [slotInput(p.name, 1), g.scalar(b2)]), g.op('Mul', `${p.name}_v_new`, [sq, g.scalar(1 - b2)])]);
      const denom = g.op('Add', `${p.name}_denom`, [g.op('Sqrt', `${p.name}_v_sqrt`, [v]), g.scalar(spec.epsilon ?? 1e-8)]);
      const step = g.op('Mul', `${p.name}_step`, [g.op('Div', `${p.name}_ratio`, [m, denom]), learningRate]);
      g.output(m, slotOutput(p.name, 0), p.dims);
      g.output(v, slotOutput(p.name, 1), p.dims);
      g.output(g.op('Sub', `${p.name}_update`, [w, step]), paramOutput(p.name), p.dims);
    }
  }
  g.output(loss, 'loss', []);

  return {
    model: g.model('unet_training_step', 'One SGD/Adam step of the U-Net (Ronneberger et al. 2015) with the weighted cross-entropy.'),
    io: {
      input,
      target,
      weights,
      dropoutMask,
      learningRate,
      loss: 'loss',
      inputShape,
      targetShape,
      weightsShape,
      dropoutShape,
      parameters,
      normParameters,
      normStatistics,
      slotsPerParameter: slots,
      paramInput,
      paramOutput,
      slotInput,
      slotOutput,
      statInput,
      statOutput,
    },
  };
}

/** running = (1 - m) running + m batch, with the batch's unbiased variance (as PyTorch). */
function updateRunningStatistics(g: GraphBuilder, fwd: ForwardRecord, statInput: (name: string) => string, statOutput: (name: string) => string): void {
  const convs: ConvRecord[] = [
    ...fwd.encoder.flatMap((l) => [l.conv1, l.conv2]),
    fwd.bottom.conv1,
    fwd.bottom.conv2,
    ...fwd.decoder.flatMap((l) => [l.conv1, l.conv2]),
  ];
  const keep = g.scalar(1 - BATCH_NORM_MOMENTUM);
  const take = g.scalar(BATCH_NORM_MOMENTUM);
  for (const rec of convs) {
    const bn = rec.batchNorm;
    if (!bn) continue;
    const c = rec.outputShape[1];
    const unbiased = g.op('Mul', `${rec.layer}_bn_unbiased`, [bn.variance, g.scalar(bn.count / Math.max(1, bn.count - 1))]);
    for (const [role, batch] of [['mean', bn.mean], ['variance', unbiased]] as const) {
      const name = `${rec.layer}.bn_${role}`;
      const next = g.op('Add', `${rec.layer}_bn_running_${role}`, [g.op('Mul', `${rec.layer}_bn_keep_${role}`, [statInput(name), keep]), g.op('Mul', `${rec.layer}_bn_take_${role}`, [batch, take])]);
      g.output(next, statOutput(name), [c]);
    }
  }
}

/** Shapes of the bottom activations and the logits for an input shape, without building anything. */
export function probeShapes(arch: UNetArchitecture, inputShape: Shape4): { bottom: Shape4; logits: Shape4 } {
  const [n] = inputShape;
  let s = inputShape[2];
  for (let level = 1; level <= arch.depth; level++) s = (s - 4) / 2;
  s -= 4;
  const bottom: Shape4 = [n, arch.baseChannels * 2 ** arch.depth, s, s];
  for (let level = arch.depth; level >= 1; level--) s = 2 * s - 4;
  return { bottom, logits: [n, arch.numClasses, s, s] };
}
