/**
 * Re-chooses the instance post-processing of trained runs and scores each choice on the run's held-out
 * images, without training again: the same models, so only the calibration differs.
 *
 *   npm run bench:recalibrate -- --name dsb --metric seg WORKSPACE [WORKSPACE ...]
 *
 * Each WORKSPACE is one a run trained in (a bench:paper fold under .bench/workspaces/, or the demo's);
 * its first run's model (--model, default: bench-model, else the only folder under models/) segments
 * its validation, training and test images as `segment` does (8-fold TTA). The post-processing is then
 * chosen on the validation images alone, and on the images the app calibrates on (the validation images
 * with training images beside them: calibrationSamples), and each choice is scored on the test images
 * beside the model's default; the last choice is made again without merging across confident borders
 * (the grid's `merge`), which measures that step alone. Prints a table and writes .bench/recalibrate-NAME.json.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppContext } from '../../src-main/app/app-context';
import { defaultInstanceOptions, instancesFromForeground, type InstanceOptions } from '../../src-main/engine/inference/instance-postprocess';
import { openUnetRunner } from '../../src-main/engine/inference/open-runner';
import { readImageOrPlane } from '../../src-main/io/read-plane';
import { calibrationSamples } from '../../src-main/pipeline/calibrate-run-model';
import {
  calibrateInstances,
  calibrationImageOf,
  describeCalibrationImages,
  describeInstanceOptions,
  gridForRun,
  objectAreas,
  scoreLabels,
  truthObjectsOf,
  type CalibrationImage,
} from '../../src-main/pipeline/instance-calibration';
import { segmentDecoded } from '../../src-main/pipeline/segment-file';
import { CALIBRATION_METRIC_NAMES, type CalibrationMetricName } from '../../src-shared/contract/training';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string', default: 'runs' }, metric: { type: 'string', default: 'seg' }, model: { type: 'string' } },
});

function fail(message: string): never {
  process.stderr.write(`bench:recalibrate: ${message}\n`);
  process.exit(2);
}

const metric = values.metric as CalibrationMetricName;
if (!(CALIBRATION_METRIC_NAMES as readonly string[]).includes(metric)) fail(`--metric must be ${CALIBRATION_METRIC_NAMES.join(', ')}`);
if (positionals.length === 0) fail('give one or more workspaces a run trained in');
for (const w of positionals) if (!existsSync(path.join(w, 'workspace.sqlite'))) fail(`${w} is not a workspace (no workspace.sqlite)`);

type Scores = { seg: number; ap50: number; vRand: number };
interface Choice {
  images: string;
  options: InstanceOptions;
  description: string;
  seconds: number;
  test: Scores;
}
interface RunResult {
  workspace: string;
  runId: number;
  testImages: number;
  default: { description: string; test: Scores };
  validationOnly: Choice;
  withTraining: Choice;
  /** The same images, the grid without merging across confident borders. */
  withTrainingNoMerge: Choice;
}

function modelFolder(workspace: string): string {
  const models = path.join(workspace, 'models');
  if (!existsSync(models)) fail(`${workspace} holds no models folder`);
  if (values.model) return path.join(models, values.model);
  if (existsSync(path.join(models, 'bench-model'))) return path.join(models, 'bench-model');
  const named = readdirSync(models).filter((d) => !/^run-\d+$/.test(d));
  if (named.length !== 1) fail(`${models} holds ${named.length} model folders besides the runs' own: name one with --model`);
  return path.join(models, named[0]);
}

async function recalibrate(workspace: string): Promise<RunResult> {
  const ctx = createAppContext({ mode: 'cli', workspacePath: workspace });
  const opened = await openUnetRunner(modelFolder(workspace));
  try {
    const store = ctx.workspace.current;
    const first = store.runs.list({})[0];
    if (!first) fail(`${workspace} holds no run`);
    const run = store.runs.get(first.id);
    const border = opened.metadata.borderClass !== undefined;
    const predict = async (imageIds: number[]): Promise<CalibrationImage[]> => {
      const out: CalibrationImage[] = [];
      for (const id of imageIds) {
        const annotation = store.annotations.latest(id);
        if (!annotation) continue;
        out.push(calibrationImageOf(await segmentDecoded(opened, await readImageOrPlane(store.images.get(id).path), { tta: true }), annotation));
      }
      return out;
    };
    const idsOf = (split: string) => run.images.filter((i) => i.split === split).map((i) => i.imageId);
    const datasetId = store.images.get(run.images[0].imageId).datasetId;
    const testIds = store.images.list({ datasetId, split: 'test', limit: 10_000 }).items.map((i) => i.id);
    process.stderr.write(`${path.basename(workspace)}: segmenting the validation, training and test images\n`);
    const chosen = calibrationSamples({ train: idsOf('train').map((id) => ({ id, ...sizeOf(store, id) })), validation: idsOf('validation').map((id) => ({ id, ...sizeOf(store, id) })) });
    const images = await predict(chosen.samples.map((s) => s.id));
    const test = await predict(testIds);
    const areas = objectAreas(idsOf('train').slice(0, 64).flatMap((id) => {
      const a = store.annotations.latest(id);
      return a ? [{ width: a.width, height: a.height, truthClassMap: a.classMap, truthInstances: a.instanceMap ?? undefined }] : [];
    }));
    const grid = gridForRun({ borderClass: border, objectAreas: areas, metric });
    const defaultSetting = defaultInstanceOptions(border);
    const choose = async (set: CalibrationImage[], training: number, searched = grid): Promise<Choice> => {
      const started = Date.now();
      const result = await calibrateInstances(set, { metric, grid: searched, defaultSetting });
      return {
        images: describeCalibrationImages({ images: set.length, trainingImages: training }),
        options: result.options,
        description: describeInstanceOptions(result.options),
        seconds: (Date.now() - started) / 1000,
        test: scoresOn(test, result.options),
      };
    };
    return {
      workspace: path.relative(root, workspace),
      runId: run.id,
      testImages: test.length,
      default: { description: describeInstanceOptions(defaultSetting), test: scoresOn(test, defaultSetting) },
      validationOnly: await choose(images.slice(0, chosen.validation), 0),
      withTraining: await choose(images, chosen.training),
      withTrainingNoMerge: await choose(images, chosen.training, { ...grid, merge: undefined }),
    };
  } finally {
    await opened.runner.dispose();
    await ctx.close();
  }
}

function sizeOf(store: ReturnType<typeof createAppContext>['workspace']['current'], id: number): { width: number; height: number } {
  const image = store.images.get(id);
  return { width: image.width, height: image.height };
}

function scoresOn(images: CalibrationImage[], options: InstanceOptions): Scores {
  const sums: Scores = { seg: 0, ap50: 0, vRand: 0 };
  for (const im of images) {
    const s = scoreLabels(truthObjectsOf(im), instancesFromForeground(im.mask, im.foreground, im.width, im.height, options).labels);
    for (const k of Object.keys(sums) as (keyof Scores)[]) sums[k] += s[k];
  }
  for (const k of Object.keys(sums) as (keyof Scores)[]) sums[k] /= Math.max(1, images.length);
  return sums;
}

const results: RunResult[] = [];
for (const workspace of positionals) {
  const r = await recalibrate(path.resolve(workspace)).catch((error: Error) => fail(`${workspace}: ${error.message}`));
  process.stderr.write(
    `${path.basename(workspace)}: ${metric} default ${r.default.test[metric].toFixed(3)}, validation alone ${r.validationOnly.test[metric].toFixed(3)}, with training images ${r.withTraining.test[metric].toFixed(3)} (without merging ${r.withTrainingNoMerge.test[metric].toFixed(3)})\n`,
  );
  results.push(r);
}

const f = (v: number) => v.toFixed(3);
const lines = [`Held-out ${metric} of the post-processing chosen on each set of images (same models; ${results.map((r) => r.testImages).join(' / ')} test images)`, ''];
lines.push('| run | default | validation images alone | validation + training images | the same, without merging |', '|---|---|---|---|---|');
for (const r of results) {
  const cell = (c: Choice) => `**${f(c.test[metric])}** (${c.images}: ${c.description}; ${c.seconds.toFixed(0)} s)`;
  lines.push(`| ${path.basename(r.workspace)} | ${f(r.default.test[metric])} | ${cell(r.validationOnly)} | ${cell(r.withTraining)} | ${cell(r.withTrainingNoMerge)} |`);
}
const meanOf = (pick: (r: RunResult) => Scores) => (['seg', 'ap50', 'vRand'] as const).map((k) => `${k} ${f(results.reduce((s, r) => s + pick(r)[k], 0) / results.length)}`).join(', ');
lines.push('', `mean, default: ${meanOf((r) => r.default.test)}`, `mean, validation images alone: ${meanOf((r) => r.validationOnly.test)}`, `mean, validation + training images: ${meanOf((r) => r.withTraining.test)}`, `mean, the same without merging: ${meanOf((r) => r.withTrainingNoMerge.test)}`);
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(path.join(root, '.bench'), { recursive: true });
const out = path.join(root, '.bench', `recalibrate-${values.name}.json`);
writeFileSync(out, JSON.stringify({ benchmark: 'recalibrate', name: values.name, metric, date: new Date().toISOString(), runs: results }, null, 2));
process.stdout.write(`wrote ${path.relative(root, out)}\n`);
