import { isOnnxRuntimeBackend, type TrainingBackend } from '../../src-shared/contract/system';
import type { TrainConfig } from './train-config';

/**
 * Batch normalisation is trained on ONNX Runtime only (its training graph has it; the tfjs engines
 * train the paper's network as it is): on a tfjs backend the run trains without it, records that, and
 * says so.
 */
export function fitOnnxRuntimeOptions(config: TrainConfig, backend: TrainingBackend, warn: (message: string) => void): TrainConfig {
  if (!config.batchNorm || isOnnxRuntimeBackend(backend)) return config;
  warn(`batch normalisation is trained on ONNX Runtime only: this run trains on ${backend} without it`);
  return { ...config, batchNorm: false };
}
