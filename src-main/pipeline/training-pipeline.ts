import type { JobOf } from '../../src-shared/contract/jobs';
import type { TrainingBackend } from '../../src-shared/contract/system';
import { type CalibrationMetricName, type TrainingOutcome, type TrainOptions, backendCandidates, type BackendChoice, type TrainProgressInfo } from '../../src-shared/contract/training';
import { recordedPlane, type ImagePlane } from '../../src-shared/imaging/image-plane';
import { RUN_SCALE_RANGE } from '../../src-shared/imaging/augmentation';
import { RUN_GAMMA_RANGE } from '../../src-shared/imaging/intensity-augmentation';
import { fitOnnxRuntimeOptions } from '../engine/onnx-runtime-options';
import { fitTileToBackend } from '../engine/memory-fit';
import type { TrainConfig, TrainConfigInput } from '../engine/train-config';
import { BORDER_CLASS_NAME, resolveTrainConfig, trainsBorderClass } from '../engine/train-config';
import type { WorkspaceContext } from './workspace-context';
import type { ModelCalibration } from './calibrate-run-model';
import type { ComputeReporter } from './compute-report';
import type { StartEngineTraining } from './engine-training';
import { expectedBackend } from './expected-backend';
import { AUTO_VALIDATION_FRACTION } from './split-rule';
import { loadTrainingImages, planTraining, type RunNormalization } from './training-images';
import { allowedPath } from '../store/path-access';
import { launch } from './training-launch';
import { modelDataClasses } from '../engine/model-files';
import { optionsFromStartingModel, parseStartingModel, recordedStart, resolveStartingModel, type RecordedStart, type StartingModel } from './starting-model';

// The job itself (training-launch.ts), its progress (training-progress.ts) and resume have their own files.
export { resumeTrainingRun } from './training-resume';

export interface TrainingPipelineDeps {
  context: WorkspaceContext;
  compute: ComputeReporter;
  startEngine: StartEngineTraining;
}

export interface StartedTraining {
  job: JobOf<'training'>;
  runId: number;
}

export type { TrainingOutcome };

/** The configuration recorded with a run: the engine's resolved config plus what the pipeline decided. */
export type RecordedConfig = TrainConfig & {
  normalization: RunNormalization;
  /** How the split was made; the images of each part are the run's membership. */
  split: { automatic: boolean; train: number; validation: number; seed?: number; validationFraction?: number };
  /** The plane of the images it trained on (runs recorded before planes could be chosen have none: the first). */
  plane: ImagePlane;
  /** The model the run started from (fine-tuning), absent for the paper's random initialisation. */
  init?: RecordedStart;
  /** The score the instance post-processing was chosen for after training (absent: SEG). */
  calibrationMetric?: CalibrationMetricName;
};

/** The starting model named by `init`; a model folder outside the allowed folders is refused in browser mode. */
async function startingModelFor(deps: TrainingPipelineDeps, init: string): Promise<StartingModel> {
  const source = parseStartingModel(init);
  if (source.kind === 'model') allowedPath(deps.context.isPathAllowed, source.dir);
  return resolveStartingModel(deps.context.workspace.current, source);
}

/** The user's options in the engine's terms; the data set decides the classes. */
function configInput(options: TrainOptions, classNames: string[]): TrainConfigInput {
  const { elastic, gamma, scale, normalization: _normalization, init: _init, calibrationMetric: _metric, ...rest } = options;
  // The classes are counted here, so whether a border class comes after them is decided here too.
  const borderClass = trainsBorderClass(options);
  const names = borderClass ? [...classNames, BORDER_CLASS_NAME] : classNames;
  // The gamma and zoom ranges are recorded even when they are the defaults, so the run says what it drew.
  const augmentation = { ...(elastic === undefined ? {} : { elastic }), gamma: gamma ?? RUN_GAMMA_RANGE, scale: scale ?? RUN_SCALE_RANGE };
  return { ...rest, borderClass, numClasses: names.length, classNames: names, inChannels: 1, augmentation };
}

/**
 * training.start: plans the split and checks the data (clear errors before anything runs), reads and
 * normalises the images, records the run (data set, split, annotation versions, resolved config,
 * seed, backend, device, versions), then trains in the engine as a job.
 */
export async function startTrainingRun(deps: TrainingPipelineDeps, request: { datasetId: number; name?: string; options: TrainOptions }): Promise<StartedTraining> {
  const ws = deps.context.workspace.current;
  const seed = request.options.seed ?? 1;
  const plan = planTraining(ws, request.datasetId, seed);
  const starting = request.options.init ? await startingModelFor(deps, request.options.init) : null;
  const options = starting ? optionsFromStartingModel(request.options, starting, plan.numClasses) : request.options;
  // A starting model that predicts more classes than the data set has keeps its extra outputs.
  const classNames = starting ? [...plan.classNames, ...starting.metadata.classNames.slice(plan.classNames.length, modelDataClasses(starting.metadata))] : plan.classNames;
  const input = configInput({ ...options, seed }, classNames);
  const resolved = resolveTrainConfig(input, { numClasses: plan.numClasses, inChannels: 1 });
  const device = await expectedBackend(deps.compute, resolved.backend);
  // A tile too large for the wasm heap is shrunk now (a network that fits no tile is refused), so the
  // run records the tile it really trains with and nothing is loaded for a run that cannot start.
  const warn = (message: string) => deps.context.logger.warn(message, 'training');
  const config = fitOnnxRuntimeOptions(fitTileToBackend(resolved, device.backend, warn), device.backend, warn);
  const data = await loadTrainingImages(ws, plan, undefined, options.normalization ?? 'dataset');
  const split: RecordedConfig['split'] = {
    automatic: plan.automaticSplit,
    train: plan.train.length,
    validation: plan.validation.length,
    ...(plan.automaticSplit ? { seed, validationFraction: AUTO_VALIDATION_FRACTION } : {}),
  };
  const recorded: RecordedConfig = {
    ...config,
    normalization: data.normalization,
    split,
    plane: plan.plane,
    ...(starting ? { init: recordedStart(starting) } : {}),
    ...(options.calibrationMetric ? { calibrationMetric: options.calibrationMetric } : {}),
  };
  return launch(deps, ws, {
    ...(starting ? { initFrom: starting.modelDir } : {}),
    datasetId: request.datasetId,
    name: request.name,
    recorded,
    members: [...plan.train, ...plan.validation],
    samples: data,
    device,
  });
}
