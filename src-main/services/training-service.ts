import type { ServiceImpl } from '../../src-shared/contract/define';
import { PRESET_NAMES, type trainingService } from '../../src-shared/contract/training';
import { presetInfo } from '../engine/presets';
import { previewTrainingSplit } from '../pipeline/split-preview';
import { importStartingModel } from '../pipeline/import-starting-model';
import { listStartingModels } from '../pipeline/starting-models-list';
import { resumeTrainingRun, startTrainingRun, type TrainingPipelineDeps } from '../pipeline/training-pipeline';

/** Training runs on a data set's splits, recorded in the workspace; the work runs in the engine as a job. */
export function createTrainingService(deps: TrainingPipelineDeps): ServiceImpl<typeof trainingService> {
  return {
    presets() {
      return PRESET_NAMES.map((name) => presetInfo(name));
    },
    planSplit({ datasetId, seed }) {
      return previewTrainingSplit(deps.context.workspace.current, datasetId, seed);
    },
    startingModels() {
      return listStartingModels(deps.context.workspace.current);
    },
    importModel({ path }) {
      return importStartingModel(deps.context, path);
    },
    start({ datasetId, name, options }) {
      return startTrainingRun(deps, { datasetId, name, options });
    },
    resume({ runId }) {
      return resumeTrainingRun(deps, runId);
    },
  };
}
