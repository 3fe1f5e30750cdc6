import type { OnnxModel } from '../onnx/onnx-writer';
import type { UNetArchitecture } from '../unet-architecture';
import { GraphBuilder, int } from './graph-builder';
import { buildForward, type Shape4 } from './unet-forward';
import { parameterInput, unetParameters } from './unet-parameters';

/**
 * The forward pass with the parameters as graph inputs (named as in the training graph) and
 * log-probabilities as output: validation during training feeds it the training session's current
 * parameter tensors, with no copy and no export. No dropout (inference).
 */
export function buildEvaluationGraph(arch: UNetArchitecture, tile: number): { model: OnnxModel; output: string } {
  const g = new GraphBuilder();
  const inputShape: Shape4 = [1, arch.inChannels, tile, tile];
  const input = g.input('input', inputShape);
  for (const p of unetParameters(arch)) g.input(parameterInput(p.name), p.dims);
  const fwd = buildForward(g, arch, input, inputShape, parameterInput, null, false);
  const logProb = g.op('LogSoftmax', 'log_softmax', [fwd.logits], { axis: int(1) });
  g.output(logProb, 'log_probabilities', fwd.logitsShape);
  return { model: g.model('unet_evaluation', 'U-Net forward pass with parameters as inputs, for validation during training.'), output: 'log_probabilities' };
}
