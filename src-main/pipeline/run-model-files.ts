import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { RunNormalization } from './training-images';
import { exportUnetToOnnx } from '../engine/onnx/export-unet';
import { ONNX_FILE } from './run-model';

const MODEL_FILES = ['model.json', 'weights.bin', 'unet.json'] as const;

/**
 * Makes a run's final model folder from one of its checkpoints: the weights and description (with the
 * normalisation the run used, so inference scales images exactly as training did) and model.onnx for
 * ONNX Runtime and other tools. Optimizer state stays behind in the checkpoint.
 */
export async function writeFinalModel(checkpointDir: string, modelDir: string, normalization: RunNormalization): Promise<{ modelDir: string; onnx: string }> {
  const files: Array<[string, Uint8Array | string]> = [];
  for (const name of MODEL_FILES) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path.join(checkpointDir, name));
    } catch (error) {
      throw new UnetError('NOT_FOUND', `checkpoint ${checkpointDir} lacks ${name}: ${(error as Error).message}`, { checkpointDir });
    }
    if (name === 'unet.json') {
      const metadata = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      // A per-image normalisation is what inference does when a model records none; it may invert bright backgrounds.
      if (normalization.kind === 'percentile') metadata.normalization = normalization;
      else if (normalization.invertBrightBackground) metadata.invertBrightBackground = true;
      files.push([name, JSON.stringify(metadata, null, 2)]);
    } else {
      files.push([name, bytes]);
    }
  }
  const { writeFolderAtomically } = await import('../engine/model-files');
  await writeFolderAtomically(modelDir, files);
  const onnx = path.join(modelDir, ONNX_FILE);
  await exportUnetToOnnx(modelDir, onnx);
  return { modelDir, onnx };
}
