/**
 * The paper's experiments at a small budget: train on a data set's images, segment images it did not
 * train on, and print the metrics beside Ronneberger et al. (2015), Tables 1 and 2.
 *
 *   npm run bench:paper -- --data ../shared/data/isbi2012 [--minutes 8] [--preset fast] [--folds K]
 *   npm run bench:paper -- --data ../shared/data/dic-hela --minutes 8          (CTC: --partial is implied)
 *
 * DIR holds images/ and masks/ (pairs by file name). By default the last 30 % of the images (natural
 * order) are held out; --folds K rotates K contiguous held-out blocks instead (K trainings); --every-kth
 * spreads the held-out images over the order instead (every K-th image; K = 1 / test fraction). The
 * validation images (15 % of the rest) are held out the same way (--validation like-test, the default:
 * the block just before the test block, or spread); --validation random leaves them to the app's seeded
 * random split. Every fold
 * trains in a fresh workspace under .bench/workspaces/ through the same services as the app, so each
 * number can be traced to its run. Prints a table and writes .bench/paper-NAME.json.
 *
 * Options: --minutes M (training budget per fold), --preset paper|fast|tiny, --tile N, --optimizer,
 * --lr, --lr-schedule constant|cosine, --tile-sampling labelled|weighted, --border-class on|off (a third class of object borders; default: the preset's),
 * --weight-average DECAY|off (the model from a moving average of the weights; default: the preset's), --class-weights per-image|data-set|none
 * (how the loss balances the classes; default per-image), --gamma R (gray-value augmentation:
 * gamma in exp(±R); default 0.5), --scale R (zoom augmentation: content scaled by exp(±R)), --upscale F|auto (images enlarged F times before the network, or each by its objects' size), --steps N (a step budget instead of
 * minutes: recipes compared independently of the machine's load), --backend, --seed, --normalization dataset|per-image, --test-fraction F, --folds K, --every-kth, --init MODEL (fine-tune starter:NAME, a run or a model folder),
 * --calibrate-for seg|ap50|vRand (what the instance post-processing is chosen for after training;
 * default V_rand for ISBI 2012, whose challenge ranks by it, else SEG), --batch-norm on|off, --momentum X, --partial (masks annotate only some cells:
 * textured background far from annotated cells becomes unlabelled), --no-tta (one pass per tile; TTA is the app's default, and the reference's here), --threads N (ONNX Runtime's CPU
 * threads), --reference (train the PyTorch reference of ../shared/tools/torch-reference beside each fold:
 * the app's training images (not its validation ones), same budget, same threads, running at the same
 * time, scored by the same code; ISBI 2012 and DIC-HeLa).
 *
 * Beside the model, every table shows an Otsu threshold (Gaussian sigma 1, polarity fit to the training
 * annotations, objects = 4-connected components) on the same held-out images, and, when the run
 * calibrated its instance post-processing after training, the model with plain connected
 * components too, so what the calibration adds is visible.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { MethodResult } from '../../src-shared/contract/define';
import type { SegmentationOutcome, segmentationService } from '../../src-shared/contract/segmentation';
import { createAppContext } from '../../src-main/app/app-context';
import { toFloat32, toGray } from '../../src-main/io/image-convert';
import { readImage } from '../../src-main/io/read-image';
import { pairFolders, type ImagePair } from '../../src-main/io/image-pairs';
import { heldOutSplits, VALIDATION_RULES, type HeldOutSplit, type ValidationRule } from './lib/held-out-splits';
import { ignoreUnannotatedCells, partialByDefault } from './lib/partial-annotations';
import { referenceObjectCount, segOverObjects } from './lib/seg-over-objects';
import { baselineVerdict } from '../../src-shared/imaging/metrics/baseline-verdict';
import { describeInstanceOptions } from '../../src-main/pipeline/instance-calibration';
import { trainFromFolders } from '../../src-main/workflows/train-from-folders';
import { PRESETS } from '../../src-main/engine/presets';
import { CALIBRATION_METRIC_NAMES, CLASS_WEIGHTINGS, DEFAULT_CLASS_WEIGHTING, type ClassWeighting, GAMMA_RANGE_MAX, MAX_UPSCALE, SCALE_RANGE_MAX, upscaleSchema, type CalibrationMetricName, type PresetName } from '../../src-shared/contract/training';
import { referenceDataset, referenceObstacle, startReference, type ReferenceRun } from './lib/torch-reference';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Share of the training images that validate (choose the checkpoint, calibrate the post-processing). */
const VALIDATION_FRACTION = 0.15;

/** Ronneberger et al. 2015: Table 1 (ISBI 2012 EM) and Table 2 (ISBI cell tracking 2015, IOU = the challenge's SEG). */
const PAPER: Record<string, { label: string; metrics: Record<string, number> }> = {
  isbi2012: { label: 'ISBI 2012 EM (Table 1)', metrics: { warpingError: 0.000353, randError: 0.0382, pixelError: 0.0611 } },
  'dic-hela': { label: 'DIC-HeLa (Table 2)', metrics: { seg: 0.7756 } },
  'phc-u373': { label: 'PhC-U373 (Table 2)', metrics: { seg: 0.9203 } },
};

const METRICS = ['iou', 'seg', 'vRand', 'vInfo', 'randError', 'pixelError', 'warpingError', 'ap50'] as const;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    minutes: { type: 'string', default: '8' },
    preset: { type: 'string', default: 'fast' },
    tile: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '1' },
    'test-fraction': { type: 'string', default: '0.3' },
    folds: { type: 'string' },
    'every-kth': { type: 'boolean' },
    partial: { type: 'boolean' },
    normalization: { type: 'string', default: 'dataset' },
    'no-tta': { type: 'boolean' },
    name: { type: 'string' },
    reference: { type: 'boolean' },
    threads: { type: 'string' },
    steps: { type: 'string' },
    'lr-schedule': { type: 'string' },
    'tile-sampling': { type: 'string' },
    'border-class': { type: 'string' },
    'weight-average': { type: 'string' },
    'class-weights': { type: 'string' },
    gamma: { type: 'string' },
    scale: { type: 'string' },
    upscale: { type: 'string' },
    init: { type: 'string' },
    'batch-norm': { type: 'string' },
    'calibrate-for': { type: 'string' },
    momentum: { type: 'string' },
    validation: { type: 'string', default: 'like-test' },
  },
});

/** The score the post-processing is chosen for: the data set's own measure (ISBI 2012 ranks by Rand), else SEG. */
function calibrationMetric(): CalibrationMetricName {
  const given = values['calibrate-for'];
  if (given) return given as CalibrationMetricName;
  return /isbi/i.test(path.basename(path.resolve(values.data ?? ''))) ? 'vRand' : 'seg';
}

function fail(message: string): never {
  process.stderr.write(`bench:paper: ${message}\n`);
  process.exit(2);
}

/** A range a run recorded for its augmentation (null: recorded before runs recorded one). */
function recordedRange(config: Record<string, unknown>, key: 'gamma' | 'scale'): number | null {
  const augmentation = config.augmentation as Record<string, unknown> | undefined;
  const value = augmentation?.[key];
  return typeof value === 'number' ? value : null;
}

const num = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, got "${value}"`);
  return n;
};

if (!values.data) fail('--data DIR is required (a folder with images/ and masks/)');
const dataDir = path.resolve(values.data);
const name = values.name ?? path.basename(dataDir);
const minutes = num('minutes', values.minutes) as number;
const preset = values.preset as 'paper' | 'fast' | 'tiny';
if (!['paper', 'fast', 'tiny'].includes(preset)) fail('--preset must be paper, fast or tiny');
if (values['lr-schedule'] && !['constant', 'cosine'].includes(values['lr-schedule'])) fail('--lr-schedule must be constant or cosine');
if (values['batch-norm'] && !['on', 'off'].includes(values['batch-norm'])) fail('--batch-norm must be on or off');
if (values['border-class'] && !['on', 'off'].includes(values['border-class'])) fail('--border-class must be on or off');
const weightAverage = values['weight-average'] === 'off' ? 0 : num('weight-average', values['weight-average']);
if (weightAverage !== undefined && !(weightAverage >= 0 && weightAverage <= 0.9999)) fail('--weight-average must be a decay in [0, 0.9999] or off');
const classWeights = values['class-weights'] as ClassWeighting | undefined;
if (classWeights !== undefined && !CLASS_WEIGHTINGS.includes(classWeights)) fail(`--class-weights must be ${CLASS_WEIGHTINGS.join(', ')}`);
const gamma = num('gamma', values.gamma);
if (gamma !== undefined && !(gamma >= 0 && gamma <= GAMMA_RANGE_MAX)) fail(`--gamma must be in [0, ${GAMMA_RANGE_MAX}]`);
const scale = num('scale', values.scale);
if (scale !== undefined && !(scale >= 0 && scale <= SCALE_RANGE_MAX)) fail(`--scale must be in [0, ${SCALE_RANGE_MAX}]`);
const parsedUpscale = values.upscale === undefined ? undefined : upscaleSchema.safeParse(values.upscale === 'auto' ? 'auto' : Number(values.upscale));
if (parsedUpscale && !parsedUpscale.success) fail(`--upscale must be auto or a whole number from 1 to ${MAX_UPSCALE}`);
const upscale = parsedUpscale?.data;
if (values['calibrate-for'] && !(CALIBRATION_METRIC_NAMES as readonly string[]).includes(values['calibrate-for'])) fail(`--calibrate-for must be ${CALIBRATION_METRIC_NAMES.join(', ')}`);
if (!(VALIDATION_RULES as readonly string[]).includes(values.validation as string)) fail(`--validation must be ${VALIDATION_RULES.join(' or ')}`);
const testFraction = num('test-fraction', values['test-fraction']) as number;
// An empty or whole held-out set would leave nothing to score or nothing to train on.
if (!(testFraction > 0 && testFraction < 1)) fail(`--test-fraction must be above 0 and below 1, got ${testFraction}`);
if (values['tile-sampling'] && !['labelled', 'weighted'].includes(values['tile-sampling'])) fail('--tile-sampling must be labelled or weighted');
const partial = values.partial ?? partialByDefault(dataDir);
/** 8-fold TTA, as the app segments by default; the PyTorch reference predicts the same way. */
const tta = values['no-tta'] !== true;
const paper = PAPER[path.basename(dataDir).toLowerCase()];

interface FoldResult {
  fold: number;
  workspace: string;
  runId: number;
  /** The PyTorch reference trained beside this fold, when asked for. */
  reference: ReferenceRun | null;
  trainImages: string[];
  validationImages: string[];
  testImages: string[];
  steps: number | null;
  /** The input tile the run trained with (the preset's, or --tile). */
  tile: number | null;
  trainingSeconds: number | null;
  stopReason: string | null;
  /** Whether the fold's run trained a border class (as recorded). */
  borderClass: boolean;
  /** The recorded decay of the weight average (0: none). */
  weightAverage: number;
  /** How the loss balanced the classes (as recorded; the default when the config does not say). */
  classWeights: ClassWeighting;
  /** The recorded gamma range of the gray-value augmentation (null: recorded before it was). */
  gamma: number | null;
  /** The recorded zoom range (null: recorded before it was). */
  scale: number | null;
  /** Times the images were enlarged before the network (1: not), or 'auto'. */
  upscale: number | 'auto';
  backend: string | null;
  bestValidationIou: number | null;
  ignoredPixels: number;
  /** The post-processing the model's scores used (calibrated after training, or the model's default). */
  instances: SegmentationOutcome['instances'];
  /** How the Otsu baseline was computed. */
  baseline: Record<string, unknown> | null;
  images: {
    name: string;
    /** Reference objects in the image's annotation (what SEG over objects weighs it by). */
    objects: number;
    values: Record<string, number | null>;
    baseline: Record<string, number | null> | null;
    plain: Record<string, number | null> | null;
  }[];
}

/** Held-out folds: the last test fraction by default, K contiguous blocks (--folds), or spread (--every-kth). */
function folds(pairs: ImagePair[]): HeldOutSplit<ImagePair>[] {
  const k = num('folds', values.folds);
  if (k !== undefined && (!Number.isInteger(k) || k < 2 || k > pairs.length)) fail(`--folds must be 2..${pairs.length}`);
  return heldOutSplits(pairs, {
    testFraction,
    ...(k !== undefined ? { folds: k } : {}),
    spread: values['every-kth'] === true,
    validationFraction: VALIDATION_FRACTION,
    validation: values.validation as ValidationRule,
  });
}

async function runFold(index: number, { train, validation, test }: HeldOutSplit<ImagePair>, stamp: string): Promise<FoldResult> {
  const workspace = path.join(root, '.bench', 'workspaces', `paper-${name}-${stamp}-fold${index + 1}`);
  const ctx = createAppContext({ mode: 'cli', workspacePath: workspace });
  let ignoredPixels = 0;
  let lastLine = 0;
  const reference = referenceFor(train, workspace);
  try {
    const trained = await trainFromFolders(
      ctx,
      {
        train,
        ...(validation.length > 0 ? { validation } : { validationFraction: VALIDATION_FRACTION }),
        test,
        datasetName: name,
        runName: `paper bench ${name} fold ${index + 1}`,
        options: {
          preset,
          backend: values.backend as 'auto',
          // --steps: a step budget (comparisons of recipes that do not depend on the machine's load).
          ...(values.steps ? { steps: num('steps', values.steps) } : { minutes, steps: 1_000_000 }),
          ...(values['lr-schedule'] ? { lrSchedule: values['lr-schedule'] as 'constant' | 'cosine' } : {}),
          ...(values['tile-sampling'] ? { tileSampling: values['tile-sampling'] as 'labelled' | 'weighted' } : {}),
          ...(values['border-class'] ? { borderClass: values['border-class'] === 'on' } : {}),
          ...(weightAverage !== undefined ? { weightAverage } : {}),
          ...(classWeights !== undefined ? { classWeights } : {}),
          ...(gamma !== undefined ? { gamma } : {}),
          ...(scale !== undefined ? { scale } : {}),
          ...(upscale !== undefined ? { upscale } : {}),
          seed: num('seed', values.seed),
          ...(values.tile ? { tile: num('tile', values.tile) } : {}),
          ...(values.optimizer ? { optimizer: values.optimizer as 'sgd' | 'adam' } : {}),
          ...(values.lr ? { learningRate: num('lr', values.lr) } : {}),
          ...(values.momentum ? { momentum: num('momentum', values.momentum) } : {}),
          ...(values['batch-norm'] ? { batchNorm: values['batch-norm'] === 'on' } : {}),
          calibrationMetric: calibrationMetric(),
          normalization: values.normalization === 'per-image' ? 'per-image' : 'dataset',
          ...(values.threads ? { threads: num('threads', values.threads) } : {}),
          // --init starter:nuclei | RUN_ID | DIR: fine-tune a model instead of training from scratch.
          ...(values.init ? { init: values.init } : {}),
        },
        outDir: path.join(workspace, 'models', 'bench-model'),
      },
      {
        onPhase: (message) => process.stderr.write(`[fold ${index + 1}] ${message}\n`),
        beforeTraining: partial ? async ({ trainIds, validationIds, testImageIds }) => {
          ignoredPixels = await markUnannotatedCells(ctx, [...trainIds, ...validationIds, ...testImageIds]);
          process.stderr.write(`[fold ${index + 1}] partial masks: ${ignoredPixels} background pixels far from annotated cells set to unlabelled\n`);
        } : undefined,
        onProgress: (p) => {
          if (Date.now() - lastLine < 30_000) return;
          lastLine = Date.now();
          const val = p.validation ? `, val IoU ${p.validation.iou.toFixed(3)}` : '';
          process.stderr.write(`[fold ${index + 1}] step ${p.step}, ${p.elapsedSeconds.toFixed(0)} s, loss ${p.loss.toFixed(4)}${val}\n`);
        },
      },
    );
    if (trained.job.status !== 'succeeded') throw new Error(`training ${trained.job.status}: ${trained.job.error?.message ?? ''}`);
    const segment = async (plain: boolean): Promise<SegmentationOutcome> => {
      // erosion 0 asks for plain connected components; no parameter means the model's calibrated ones.
      const options = { tta, instances: true, evaluate: true, ...(plain ? { erosion: 0 } : {}) };
      const started = await ctx.dispatch('segmentation.start', { runId: trained.runId, imageIds: trained.testImageIds, options });
      if (!started.ok) throw new Error(started.error.message);
      const job = await ctx.jobs.wait((started.value as MethodResult<typeof segmentationService, 'start'>).job);
      const outcome = job.result;
      if (job.status !== 'succeeded' || !outcome) throw new Error(`segmentation ${job.status}: ${job.error?.message ?? ''}`);
      if (outcome.failures.length > 0) throw new Error(`segmentation failed on ${outcome.failures.length} image(s): ${outcome.failures[0].error}`);
      return outcome;
    };
    const held = new Set(trained.testImageIds);
    const calibrated = trained.outcome?.calibration?.instances ?? null;
    let plainRows: Map<string, Record<string, number | null>> | null = null;
    if (calibrated) {
      process.stderr.write(`[fold ${index + 1}] segmenting ${test.length} held-out image(s) with plain connected components\n`);
      await segment(true);
      const plainTable = ctx.workspace.current.results.evaluations(trained.runId);
      plainRows = new Map(plainTable.rows.filter((r) => held.has(r.imageId)).map((r) => [r.imageName, r.values]));
    }
    process.stderr.write(`[fold ${index + 1}] segmenting ${test.length} held-out image(s)${calibrated ? ' with the calibrated post-processing' : ''}\n`);
    const outcome = await segment(false);
    const table = ctx.workspace.current.results.evaluations(trained.runId);
    let referenceRun: ReferenceRun | null = null;
    if (reference) {
      process.stderr.write(`[fold ${index + 1}] PyTorch reference: predicting the held-out images\n`);
      referenceRun = await reference.finish(test, path.join(dataDir, 'masks'));
    }
    const recordedConfig = ctx.workspace.current.runs.get(trained.runId).config;
    const recordedTile = recordedConfig.tile;
    return {
      reference: referenceRun,
      fold: index + 1,
      workspace,
      runId: trained.runId,
      trainImages: trained.trainImages.map((p) => path.basename(p)),
      validationImages: trained.validationImages.map((p) => path.basename(p)),
      testImages: test.map((p) => p.name),
      steps: trained.outcome?.steps ?? null,
      tile: typeof recordedTile === 'number' ? recordedTile : null,
      borderClass: recordedConfig.borderClass === true,
      weightAverage: typeof recordedConfig.weightAverage === 'number' ? recordedConfig.weightAverage : 0,
      classWeights: CLASS_WEIGHTINGS.find((w) => w === recordedConfig.classWeights) ?? DEFAULT_CLASS_WEIGHTING,
      gamma: recordedRange(recordedConfig, 'gamma'),
      scale: recordedRange(recordedConfig, 'scale'),
      upscale: typeof recordedConfig.upscale === 'number' || recordedConfig.upscale === 'auto' ? recordedConfig.upscale : 1,
      trainingSeconds: trained.outcome?.elapsedSeconds ?? null,
      stopReason: trained.outcome?.stopReason ?? null,
      backend: trained.outcome?.backend ?? null,
      bestValidationIou: trained.outcome?.best?.iou ?? null,
      ignoredPixels,
      instances: outcome.instances,
      baseline: table.baseline?.settings ?? null,
      images: table.rows
        .filter((r) => held.has(r.imageId))
        .map((r) => ({ name: r.imageName, objects: referenceObjects(ctx, r.imageId), values: r.values, baseline: r.baseline ?? null, plain: plainRows?.get(r.imageName) ?? null })),
    };
  } finally {
    await ctx.close();
  }
}

/** How many reference objects an image's latest annotation holds, counted as the app's scoring counts them. */
function referenceObjects(ctx: ReturnType<typeof createAppContext>, imageId: number): number {
  const annotation = ctx.workspace.current.annotations.latest(imageId);
  return annotation ? referenceObjectCount(annotation.classMap, annotation.instanceMap, annotation.width, annotation.height) : 0;
}

/** Partial masks: a new annotation version where textured background far from annotated cells is unlabelled. */
async function markUnannotatedCells(ctx: ReturnType<typeof createAppContext>, imageIds: number[]): Promise<number> {
  const ws = ctx.workspace.current;
  let total = 0;
  for (const id of imageIds) {
    const image = ws.images.get(id);
    const annotation = ws.annotations.latest(id);
    if (!annotation) continue;
    const pixels = toFloat32(toGray(await readImage(image.path)));
    const { classMap, ignored } = ignoreUnannotatedCells(pixels, annotation.classMap, image.width, image.height);
    ws.annotations.save(id, { classMap, instanceMap: annotation.instanceMap, source: 'paint', author: 'bench:paper', message: `partial mask: ${ignored} unannotated pixels ignored` });
    total += ignored;
  }
  return total;
}

function mean(rows: { values: Record<string, number | null> | null }[], metric: string): number | null {
  const list = rows.map((r) => r.values?.[metric]).filter((v): v is number => typeof v === 'number');
  return list.length > 0 ? list.reduce((a, b) => a + b, 0) / list.length : null;
}

/** One row per fold (the spread between folds is what a single split cannot show), then the spread itself. */
function foldTable(results: FoldResult[]): string[] {
  const headline = ['iou', 'seg', 'vRand', 'ap50'] as const;
  const lines = [`| fold | test images | steps | ${headline.join(' | ')} | Otsu ${headline.join(' / ')} |`, `|---|---|---|${headline.map(() => '---|').join('')}---|`];
  const perFold = results.map((r) => Object.fromEntries(headline.map((m) => [m, mean(r.images, m)])));
  for (const [i, r] of results.entries()) {
    const otsu = headline.map((m) => fmt(mean(r.images.map((x) => ({ values: x.baseline })), m), 3)).join(' / ');
    lines.push(`| ${r.fold} | ${r.testImages.join(', ')} | ${r.steps ?? '?'} | ${headline.map((m) => fmt(perFold[i][m], 3)).join(' | ')} | ${otsu} |`);
  }
  const spread = headline.map((m) => {
    const list = perFold.map((f) => f[m]).filter((v): v is number => typeof v === 'number');
    return list.length > 0 ? `${fmt(Math.min(...list), 3)}–${fmt(Math.max(...list), 3)}` : '-';
  });
  lines.push(`| range over folds | | | ${spread.join(' | ')} | |`);
  return lines;
}

/** The PyTorch reference for this fold, started now so that it trains at the same time as the app. */
function referenceFor(train: ImagePair[], workspace: string): ReturnType<typeof startReference> | null {
  if (!values.reference) return null;
  const dataset = referenceDataset(dataDir);
  if (!dataset) {
    process.stderr.write(`PyTorch reference: no recipe for ${dataDir} (it knows isbi2012, dic-hela and dsb2018); skipped\n`);
    return null;
  }
  const obstacle = referenceObstacle();
  if (obstacle) {
    process.stderr.write(`PyTorch reference skipped: ${obstacle}\n`);
    return null;
  }
  const shape = PRESETS[preset as PresetName] ?? PRESETS.fast;
  return startReference({
    dataset,
    dataDir,
    allNames: readdirSync(path.join(dataDir, 'images')),
    train,
    minutes,
    threads: values.threads ? (num('threads', values.threads) as number) : os.cpus().length,
    tile: values.tile ? (num('tile', values.tile) as number) : shape.tile,
    base: shape.baseChannels,
    outDir: path.join(workspace, 'reference'),
    seed: num('seed', values.seed) as number,
    tta,
  });
}

const fmt = (v: number | null | undefined, digits = 4) => (typeof v === 'number' ? v.toFixed(digits) : '-');

async function main(): Promise<void> {
  const { pairs } = await pairFolders(path.join(dataDir, 'images'), path.join(dataDir, 'masks'));
  if (pairs.length < 2) fail(`${dataDir} needs at least two image/mask pairs in images/ and masks/`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const t0 = Date.now();
  const results: FoldResult[] = [];
  for (const [i, fold] of folds(pairs).entries()) results.push(await runFold(i, fold, stamp));
  const images = results.flatMap((r) => r.images);
  const means = Object.fromEntries(METRICS.map((m) => [m, mean(images, m)]));
  const otsuMeans = Object.fromEntries(METRICS.map((m) => [m, mean(images.map((r) => ({ values: r.baseline })), m)]));
  const hasPlain = images.some((r) => r.plain);
  const plainMeans = Object.fromEntries(METRICS.map((m) => [m, mean(images.map((r) => ({ values: r.plain })), m)]));
  const verdict = baselineVerdict(means, otsuMeans, ['iou', 'seg', 'vRand', 'ap50']);
  const refImages = results.flatMap((r) => r.reference?.evaluation.images ?? []);
  const hasRef = refImages.length > 0;
  const refMeans = Object.fromEntries(METRICS.map((m) => [m, mean(refImages.map((r) => ({ values: r.metrics as Record<string, number | null> })), m)]));

  const lines: string[] = [];
  lines.push(`${paper?.label ?? name}: ${images.length} held-out image(s), ${results.length} fold(s); preset ${preset}, ${minutes} min per fold on ${results[0].backend ?? '?'} (${os.cpus().length} CPU cores)`);
  lines.push(`steps per fold: ${results.map((r) => `${r.steps} (${fmt(r.trainingSeconds, 0)} s, tile ${r.tile ?? '?'}${r.borderClass ? ', border class' : ''}${r.weightAverage > 0 ? `, weight average ${r.weightAverage}` : ''}${r.classWeights !== DEFAULT_CLASS_WEIGHTING ? `, class weights ${r.classWeights}` : ''}${r.gamma !== null ? `, gamma range ${r.gamma}` : ''}${r.scale ? `, zoom range ${r.scale}` : ''}${r.upscale === 'auto' ? ', enlarged by object size' : r.upscale > 1 ? `, enlarged ${r.upscale}x` : ''})`).join(', ')}${partial ? '; partial masks: unannotated cells ignored' : ''}`);
  if (hasRef) lines.push(`PyTorch reference (same images, budget and threads, trained at the same time; its own post-processing): steps per fold ${results.map((r) => `${r.reference?.steps ?? '?'} (${fmt(r.reference?.seconds, 0)} s)`).join(', ')}`);
  const post = results.map((r) => (r.instances ? `${describeInstanceOptions(r.instances.options)}${r.instances.calibrated ? ' (calibrated after training)' : ''}` : '-'));
  lines.push(`instance post-processing: ${[...new Set(post)].join('; ')}`);
  const otsu = results.find((r) => r.baseline)?.baseline;
  if (otsu) lines.push(`Otsu baseline: Gaussian sigma ${String(otsu.sigma)}, ${String(otsu.polarity)} foreground (${String(otsu.rule)}), objects = 4-connected components`);
  lines.push('');
  lines.push(`| metric | this run |${hasPlain ? ' this run, plain components |' : ''} Otsu threshold |${hasRef ? ' PyTorch reference |' : ''} u-net (2015) |`);
  lines.push(`|---|---|${hasPlain ? '---|' : ''}---|${hasRef ? '---|' : ''}---|`);
  // The Cell Tracking Challenge's own SEG (the paper's figure): every reference object of the held-out
  // images weighs the same; the seg row above is the mean of per-image scores, as the app's reports show.
  const over = (pick: (image: FoldResult['images'][number]) => Record<string, number | null> | null) => segOverObjects(images.map((r) => ({ seg: pick(r)?.seg, objects: r.objects })));
  const segObjects = { model: over((r) => r.values), plain: over((r) => r.plain), otsu: over((r) => r.baseline), reference: segOverObjects(refImages.map((r) => ({ seg: r.metrics.seg, objects: r.truthObjects }))) };
  for (const m of METRICS) lines.push(`| ${m} | ${fmt(means[m])} |${hasPlain ? ` ${fmt(plainMeans[m])} |` : ''} ${fmt(otsuMeans[m])} |${hasRef ? ` ${fmt(refMeans[m])} |` : ''} ${m !== 'seg' && paper?.metrics[m] !== undefined ? paper.metrics[m] : ''} |`);
  lines.push(`| seg over objects (CTC) | ${fmt(segObjects.model)} |${hasPlain ? ` ${fmt(segObjects.plain)} |` : ''} ${fmt(segObjects.otsu)} |${hasRef ? ` ${fmt(segObjects.reference)} |` : ''} ${paper?.metrics.seg !== undefined ? paper.metrics.seg : ''} |`);
  if (verdict) lines.push('', verdict.text);
  if (results.length > 1) lines.push('', ...foldTable(results));
  lines.push('');
  lines.push('| image | objects | IoU | SEG | Rand error | pixel error | warping error | Otsu IoU | Otsu SEG |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of images) lines.push(`| ${r.name} | ${r.objects} | ${fmt(r.values.iou)} | ${fmt(r.values.seg)} | ${fmt(r.values.randError)} | ${fmt(r.values.pixelError)} | ${fmt(r.values.warpingError, 6)} | ${fmt(r.baseline?.iou)} | ${fmt(r.baseline?.seg)} |`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const out = path.join(root, '.bench', `paper-${name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        benchmark: 'paper',
        data: dataDir,
        name,
        paper: paper ?? null,
        budget: { minutesPerFold: minutes, preset, tile: values.tile ?? null, optimizer: values.optimizer ?? null, learningRate: values.lr ?? null, normalization: values.normalization, backend: values.backend, seed: values.seed, borderClass: values['border-class'] ?? 'preset', weightAverage: values['weight-average'] ?? 'preset', classWeights: classWeights ?? DEFAULT_CLASS_WEIGHTING, gamma: values.gamma ?? 'default', scale: values.scale ?? 'default', upscale: upscale ?? 1 },
        partial,
        tta,
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.versions.node },
        mean: means,
        otsu: otsuMeans,
        plainComponents: hasPlain ? plainMeans : null,
        segOverObjects: segObjects,
        pytorchReference: hasRef ? refMeans : null,
        verdict: verdict?.text ?? null,
        folds: results,
        seconds: (Date.now() - t0) / 1000,
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:paper: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
