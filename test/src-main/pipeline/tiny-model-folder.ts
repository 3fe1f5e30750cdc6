import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { saveModelFolder, type UNetMetadata } from '../../../src-main/engine/model-files';
import { buildUNet } from '../../../src-main/engine/unet-model';
import type { UNetArchitecture } from '../../../src-main/engine/unet-architecture';
import { haloFor, outputSizeFor } from '../../../src-shared/imaging/tile-geometry';

/**
 * An untrained (seeded) two-level U-Net saved as a model folder: enough to test export, import and
 * inference. `borderClass` gives it a fourth class, the objects' borders.
 */
export async function writeTinyModelFolder(dir: string, seed = 3, options: { borderClass?: boolean } = {}): Promise<UNetMetadata> {
  await tf.setBackend('cpu');
  const arch: UNetArchitecture = { depth: 2, baseChannels: 4, inChannels: 1, numClasses: options.borderClass ? 4 : 3, dropout: 0 };
  const tile = 92;
  const model = buildUNet(arch, { seed, inputSize: tile });
  const metadata: UNetMetadata = {
    format: 'unet-studio-model',
    formatVersion: 1,
    architecture: arch,
    tile: { input: tile, output: outputSizeFor(tile, arch.depth), halo: haloFor(arch.depth) },
    classNames: ['unlabeled', 'background', 'nucleus', ...(options.borderClass ? ['border'] : [])],
    ...(options.borderClass ? { borderClass: 3 } : {}),
    normalization: { kind: 'percentile', lowPct: 1, highPct: 99.8, low: 12, high: 210 },
    training: { step: 0, dataHash: '0123456789abcdef', configHash: 'fedcba9876543210', backend: 'cpu' },
    versions: { 'tfjs-core': tf.version_core },
    createdAt: '2025-01-01T00:00:00.000Z',
  };
  await saveModelFolder(dir, model, metadata);
  model.dispose();
  return metadata;
}
