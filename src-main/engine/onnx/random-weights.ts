import { createRng } from '../../../src-shared/imaging/rng';
import { unetLayers, type UNetArchitecture } from '../unet-architecture';
import type { StoredWeight } from './model-weights';

/**
 * Weights for every layer of `arch` in the stored tfjs layouts (HWIO kernels, [h, w, outC, inC] for the
 * up-convolutions), drawn as the paper initialises them: Gaussian, std sqrt(2 / fan-in), small random biases.
 * Seeded, so benchmarks and export checks are reproducible without a trained model.
 */
export function randomUnetWeights(arch: UNetArchitecture, seed: number): Map<string, StoredWeight> {
  const rng = createRng(seed);
  const weights = new Map<string, StoredWeight>();
  for (const layer of unetLayers(arch)) {
    const k = layer.kind === 'conv3x3' ? 3 : layer.kind === 'upconv2x2' ? 2 : 1;
    const shape = layer.kind === 'upconv2x2' ? [k, k, layer.outChannels, layer.inChannels] : [k, k, layer.inChannels, layer.outChannels];
    const std = Math.sqrt(2 / (k * k * layer.inChannels));
    const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < kernel.length; i++) kernel[i] = rng.normal() * std;
    const bias = new Float32Array(layer.outChannels);
    for (let i = 0; i < bias.length; i++) bias[i] = rng.uniform(-0.05, 0.05);
    weights.set(`${layer.name}/kernel`, { shape, data: kernel });
    weights.set(`${layer.name}/bias`, { shape: [layer.outChannels], data: bias });
  }
  return weights;
}
