import type * as tfl from '@tensorflow/tfjs-layers';
import { isOnnxRuntimeBackend } from '../../src-shared/contract/system';
import type { BackendReport } from './backend';
import { OrtStepEngine } from './ort-train/ort-step-engine';
import { cpuCount } from './ort-train/ort-providers';
import { ortProviderOf } from './ort-train/ort-backend';
import type { StepEngine } from './step-engine';
import { TfjsStepEngine } from './tfjs-step-engine';
import type { TrainConfig } from './train-config';

/**
 * The step engine of the started backend, starting from the weights of `model`. The config has been
 * fitted to the backend (`fitOnnxRuntimeOptions`): a tfjs engine never gets batch normalisation.
 */
export async function createStepEngine(backend: BackendReport, model: tfl.LayersModel, config: TrainConfig): Promise<StepEngine> {
  if (isOnnxRuntimeBackend(backend.active)) {
    return OrtStepEngine.create(model, config, ortProviderOf(backend.active), backend.threads ?? config.threads ?? cpuCount());
  }
  return new TfjsStepEngine(model, config);
}
