import { UnetError } from '../../src-shared/contract/errors';
import type { MethodResult } from '../../src-shared/contract/define';
import type { JobInfo, JobOf } from '../../src-shared/contract/jobs';
import type { SegmentationOutcome, segmentationService } from '../../src-shared/contract/segmentation';
import type { BackendChoice, ClassWeighting, TrainProgressInfo } from '../../src-shared/contract/training';
import type { AppContext } from '../app/app-context';
import { baselineVerdict } from '../../src-shared/imaging/metrics/baseline-verdict';
import { DEMO_DATASET_NAME, defaultDemoDataDir, demoPairs, DEMO_VALIDATION_FRACTION } from '../pipeline/demo-dataset';
import { trainFromFolders, type TrainFromFoldersResult } from './train-from-folders';

export { DEMO_DATASET_NAME, defaultDemoDataDir } from '../pipeline/demo-dataset';

export interface DemoOptions {
  /** Folder with train/{images,masks} and test/{images,masks} (default: the bundled resources/demo). */
  dataDir?: string;
  /** Training time budget in minutes. */
  minutes: number;
  preset: 'paper' | 'fast' | 'tiny';
  backend?: BackendChoice;
  /** CPU threads for ONNX Runtime (default: all cores). */
  threads?: number;
  tile?: number;
  seed?: number;
  optimizer?: 'sgd' | 'adam';
  learningRate?: number;
  /** Train a border class (default: the preset's; a starting model's own when fine-tuning). */
  borderClass?: boolean;
  /** How the loss balances the classes (TrainOptions.classWeights; default: a new run's). */
  classWeights?: ClassWeighting;
  /** The augmentation's gamma and zoom ranges (TrainOptions.gamma, .scale; default: a new run's). */
  gamma?: number;
  scale?: number;
  /** Images enlarged before the network (TrainOptions.upscale; default: a new run's). */
  upscale?: number | 'auto';
  /** The demo's images come from several experiments with different brightness: per-image by default. */
  normalization?: 'dataset' | 'per-image';
  /** Where the trained model folder is copied. */
  modelDir: string;
  /** Start from a model's weights (fine-tuning): "starter:NAME", a run id or a model folder. */
  init?: string;
}

export interface DemoHooks {
  onPhase?(message: string): void;
  onTraining?(progress: TrainProgressInfo, job: JobOf<'training'>): void;
  onSegmentation?(job: JobOf<'segmentation'>): void;
}

export interface DemoImageResult {
  imageId: number;
  name: string;
  iou: number | null;
  seg: number | null;
  ap50: number | null;
  /** The Otsu baseline on the same image. */
  otsu: { iou: number | null; seg: number | null; ap50: number | null } | null;
}

type DemoMeans = { iou: number | null; seg: number | null; ap50: number | null };

export interface DemoReport {
  workspace: string;
  datasetId: number;
  datasetName: string;
  runId: number;
  status: string;
  trainImages: number;
  validationImages: number;
  steps: number | null;
  trainingSeconds: number | null;
  backend: string | null;
  bestValidationIou: number | null;
  test: DemoImageResult[];
  meanIou: number | null;
  meanSeg: number | null;
  meanAp50: number | null;
  /** The Otsu baseline's means on the same images, how it was computed, and whether the model beats it. */
  otsu: { mean: DemoMeans; settings: Record<string, unknown>; verdict: string | null } | null;
  /** The instance post-processing used (calibrated on the validation images when the run could). */
  instances: SegmentationOutcome['instances'];
  modelDir: string | null;
  seconds: number;
}

/**
 * The main job end to end on the bundled demo data: import (train, validation and held-out test
 * images with their masks), train within a time budget, segment the held-out images with the run's
 * model, score them against their masks, all recorded in the workspace like work done in the UI.
 */
export async function runDemo(ctx: AppContext, options: DemoOptions, hooks: DemoHooks = {}, signal?: AbortSignal): Promise<DemoReport> {
  const t0 = performance.now();
  const dataDir = options.dataDir ?? defaultDemoDataDir();
  const { train, test } = await demoPairs(dataDir);
  const trained: TrainFromFoldersResult = await trainFromFolders(
    ctx,
    {
      train,
      validationFraction: DEMO_VALIDATION_FRACTION,
      test,
      datasetName: DEMO_DATASET_NAME,
      runName: `demo (${options.init ? `from ${options.init}` : options.preset}, ${options.minutes} min)`,
      options: {
        preset: options.preset,
        backend: options.backend ?? 'auto',
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        minutes: options.minutes,
        // The budget, not the step count, ends the demo.
        steps: 1_000_000,
        ...(options.tile !== undefined ? { tile: options.tile } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.optimizer !== undefined ? { optimizer: options.optimizer } : {}),
        ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
        ...(options.borderClass !== undefined ? { borderClass: options.borderClass } : {}),
        ...(options.classWeights !== undefined ? { classWeights: options.classWeights } : {}),
        ...(options.gamma !== undefined ? { gamma: options.gamma } : {}),
        ...(options.scale !== undefined ? { scale: options.scale } : {}),
        ...(options.upscale !== undefined ? { upscale: options.upscale } : {}),
        // A starting model brings its own normalisation.
        ...(options.init ? { init: options.init } : { normalization: options.normalization ?? 'per-image' }),
      },
      outDir: options.modelDir,
    },
    { onPhase: hooks.onPhase, onProgress: hooks.onTraining },
    signal,
  );
  if (trained.job.status !== 'succeeded') {
    throw new UnetError(trained.job.error?.code ?? 'INTERNAL', `training ${trained.job.status}: ${trained.job.error?.message ?? ''}`.trim(), { runId: trained.runId });
  }
  hooks.onPhase?.(`segmenting ${trained.testImageIds.length} held-out image(s) and scoring them against their masks`);
  const started = await ctx.dispatch('segmentation.start', { runId: trained.runId, imageIds: trained.testImageIds, options: { tta: true, instances: true, evaluate: true } });
  if (!started.ok) throw UnetError.fromInfo(started.error);
  const segmentJob = (started.value as MethodResult<typeof segmentationService, 'start'>).job;
  const jobId = segmentJob.id;
  const unsubscribe = ctx.bus.subscribe((channel, payload) => {
    if (channel !== 'jobs.update') return;
    const job = payload as JobInfo;
    if (job.id === jobId && job.kind === 'segmentation') hooks.onSegmentation?.(job);
  });
  const cancel = () => ctx.jobs.cancel(jobId);
  signal?.addEventListener('abort', cancel, { once: true });
  let job: JobOf<'segmentation'>;
  try {
    job = await ctx.jobs.wait(segmentJob);
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', cancel);
  }
  const outcome = job.result;
  if (job.status !== 'succeeded' || !outcome) throw new UnetError(job.error?.code ?? 'INTERNAL', `segmentation ${job.status}: ${job.error?.message ?? ''}`.trim());
  // The held-out images are not members of the run (it never saw them): pick their rows by id.
  const held = new Set(trained.testImageIds);
  const table = ctx.workspace.current.results.evaluations(trained.runId, { metrics: ['iou', 'seg', 'ap50'] });
  const testRows: DemoImageResult[] = table.rows
    .filter((r) => held.has(r.imageId))
    .map((r) => ({
      imageId: r.imageId,
      name: r.imageName,
      iou: r.values.iou ?? null,
      seg: r.values.seg ?? null,
      ap50: r.values.ap50 ?? null,
      otsu: r.baseline ? { iou: r.baseline.iou ?? null, seg: r.baseline.seg ?? null, ap50: r.baseline.ap50 ?? null } : null,
    }));
  const meanOf = (values: (number | null | undefined)[]) => {
    const defined = values.filter((v): v is number => typeof v === 'number');
    return defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
  };
  const mean = (key: 'iou' | 'seg' | 'ap50') => meanOf(testRows.map((r) => r[key]));
  const withOtsu = testRows.filter((r) => r.otsu);
  const otsuMean: DemoMeans = { iou: meanOf(withOtsu.map((r) => r.otsu?.iou)), seg: meanOf(withOtsu.map((r) => r.otsu?.seg)), ap50: meanOf(withOtsu.map((r) => r.otsu?.ap50)) };
  const modelOnSame: DemoMeans = { iou: meanOf(withOtsu.map((r) => r.iou)), seg: meanOf(withOtsu.map((r) => r.seg)), ap50: meanOf(withOtsu.map((r) => r.ap50)) };
  return {
    workspace: trained.workspace,
    datasetId: trained.datasetId,
    datasetName: trained.datasetName,
    runId: trained.runId,
    status: trained.job.status,
    trainImages: trained.trainImages.length,
    validationImages: trained.validationImages.length,
    steps: trained.outcome?.steps ?? null,
    trainingSeconds: trained.outcome?.elapsedSeconds ?? null,
    backend: trained.outcome?.backend ?? null,
    bestValidationIou: trained.outcome?.best?.iou ?? null,
    test: testRows,
    meanIou: mean('iou') ?? outcome.mean.iou,
    meanSeg: mean('seg') ?? outcome.mean.seg,
    meanAp50: mean('ap50') ?? outcome.mean.ap50,
    otsu: table.baseline && withOtsu.length > 0 ? { mean: otsuMean, settings: table.baseline.settings, verdict: baselineVerdict(modelOnSame, otsuMean)?.text ?? null } : null,
    instances: outcome.instances,
    modelDir: trained.modelDir,
    seconds: (performance.now() - t0) / 1000,
  };
}
