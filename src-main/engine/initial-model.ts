import type * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../src-shared/contract/errors';
import { loadModelFolder } from './model-files';
import type { UNetArchitecture } from './unet-architecture';
import { buildUNet } from './unet-model';

/** The parts of an architecture that decide the weights' shapes (dropout has no weights). */
const SHAPING: (keyof UNetArchitecture)[] = ['depth', 'baseChannels', 'inChannels', 'numClasses'];

/**
 * A network for `arch` at `tile` whose weights are those of the model folder `dir`: the start of a
 * fine-tuning run. The weights do not depend on the tile, so the run may train at another tile size
 * than the starting model did. Optimizer state and step count start afresh.
 */
export async function loadInitialModel(dir: string, arch: UNetArchitecture, tile: number, seed: number): Promise<tfl.LayersModel> {
  const { model: loaded, metadata } = await loadModelFolder(dir);
  try {
    const differing = SHAPING.filter((key) => metadata.architecture[key] !== arch[key]);
    if (differing.length > 0) {
      const what = differing.map((key) => `${key} ${metadata.architecture[key]} (this run: ${arch[key]})`).join(', ');
      throw new UnetError('CONFLICT', `the starting model in ${dir} does not fit this run: ${what}`, { dir, model: metadata.architecture, run: arch });
    }
    const model = buildUNet(arch, { seed, inputSize: tile });
    model.setWeights(loaded.getWeights());
    return model;
  } finally {
    loaded.dispose();
  }
}
