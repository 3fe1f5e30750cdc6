import { isOnnxRuntimeBackend, type TrainingBackend } from '../../src-shared/contract/system';
import type { TrainConfig } from './train-config';

/**
 * Batch normalisation and the weight average are trained on ONNX Runtime only (its training graph
 * and session have them; the tfjs engines train the paper's network as it is, and keep the last
 * step's weights): on a tfjs backend the run trains without them, records that, and says so.
 */
export function fitOnnxRuntimeOptions(config: TrainConfig, backend: TrainingBackend, warn: (message: string) => void): TrainConfig {
  if (isOnnxRuntimeBackend(backend)) return config;
  const dropped = [config.batchNorm ? 'batch normalisation' : null, config.weightAverage > 0 ? 'the weight average' : null].filter((name): name is string => name !== null);
  if (dropped.length === 0) return config;
  warn(`${dropped.join(' and ')} ${dropped.length > 1 ? 'are' : 'is'} trained on ONNX Runtime only: this run trains on ${backend} without ${dropped.length > 1 ? 'them' : 'it'}`);
  return { ...config, batchNorm: false, weightAverage: 0 };
}
