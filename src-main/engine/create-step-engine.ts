import type * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../src-shared/contract/errors';
import { isOnnxRuntimeBackend } from '../../src-shared/contract/system';
import type { BackendReport } from './backend';
import { OrtStepEngine } from './ort-train/ort-step-engine';
import { cpuCount } from './ort-train/ort-providers';
import { ortProviderOf } from './ort-train/ort-backend';
import type { StepEngine } from './step-engine';
import { TfjsStepEngine } from './tfjs-step-engine';
import type { TrainConfig } from './train-config';

/** The step engine of the started backend, starting from the weights of `model`. */
export async function createStepEngine(backend: BackendReport, model: tfl.LayersModel, config: TrainConfig): Promise<StepEngine> {
  if (isOnnxRuntimeBackend(backend.active)) {
    return OrtStepEngine.create(model, config, ortProviderOf(backend.active), backend.threads ?? config.threads ?? cpuCount());
  }
  if (config.batchNorm) {
    // The pipeline turns it off for a tfjs backend it expects; this is a backend that came up instead.
    throw new UnetError('UNSUPPORTED', `batch normalisation is trained on ONNX Runtime only; this run started on ${backend.active}. Train without it (batchNorm: false) or on ONNX Runtime`);
  }
  return new TfjsStepEngine(model, config);
}
