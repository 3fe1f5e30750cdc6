/**
 * The PyTorch reference U-Net alone on a training folder and a test folder (each with images/ and
 * masks/, complete instance masks), trained for `--minutes` with the machine's threads, its predictions
 * scored by the app's metrics beside an Otsu threshold of the same images. It gives the reference row
 * for data that bench:paper does not split, such as the demo's: run it alone, like the demo, so both
 * have the whole machine for the same time.
 *
 *   npm run bench:reference -- --train resources/demo/train --test resources/demo/test --minutes 4 --baseline-polarity bright
 *
 * Writes .bench/reference-NAME.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pairFolders } from '../../src-main/io/image-pairs';
import type { BaselinePolarity } from '../../src-main/pipeline/otsu-baseline';
import { referenceObstacle, startReference } from './lib/torch-reference';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEADLINE = ['iou', 'seg', 'ap50', 'vRand'] as const;

const { values } = parseArgs({
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    minutes: { type: 'string', default: '4' },
    threads: { type: 'string' },
    seed: { type: 'string', default: '1' },
    tile: { type: 'string', default: '316' },
    base: { type: 'string', default: '16' },
    'no-tta': { type: 'boolean' },
    name: { type: 'string', default: 'demo' },
    'baseline-polarity': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`bench:reference: ${message}\n`);
  process.exit(2);
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) fail(`--${name} must be a positive number, got ${text}`);
  return value;
}

/** Bright or dark foreground for the Otsu row when given (as the demo's model records it), else decided per image. */
function baselinePolarity(): BaselinePolarity {
  const given = values['baseline-polarity'];
  if (given === undefined) return { polarity: null, rule: 'minority' };
  if (given !== 'bright' && given !== 'dark') fail(`--baseline-polarity must be bright or dark, got ${given}`);
  return { polarity: given, rule: 'given' };
}

function seedOf(text: string | undefined): number {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 0)) fail(`--seed must be a whole number from 0, got ${text}`);
  return value;
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : '-');

async function main(): Promise<void> {
  if (!values.train || !values.test) fail('--train DIR and --test DIR are required (each with images/ and masks/)');
  const obstacle = referenceObstacle();
  if (obstacle) fail(obstacle);
  const train = await pairFolders(path.join(values.train, 'images'), path.join(values.train, 'masks'));
  const test = await pairFolders(path.join(values.test, 'images'), path.join(values.test, 'masks'));
  if (train.pairs.length === 0 || test.pairs.length === 0) fail('both folders need image/mask pairs of the same names');
  const minutes = positive('minutes', values.minutes);
  const threads = values.threads ? positive('threads', values.threads) : os.cpus().length;
  const shape = { tile: positive('tile', values.tile), base: positive('base', values.base), seed: seedOf(values.seed) };
  const polarity = baselinePolarity();
  const outDir = path.join(root, '.bench', `reference-${values.name}`, 'run');
  rmSync(path.dirname(outDir), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  process.stderr.write(`PyTorch reference: training on ${train.pairs.length} image(s) for ${minutes} min with ${threads} thread(s)\n`);
  const run = startReference({
    dataset: 'nuclei',
    dataDir: values.train,
    allNames: train.pairs.map((p) => path.basename(p.image)),
    train: train.pairs,
    minutes,
    threads,
    ...shape,
    outDir,
    tta: !values['no-tta'],
  });
  const result = await run.finish(test.pairs, path.join(values.test, 'masks'), { imagesDir: path.join(values.test, 'images'), polarity });
  const { baseline: otsu, ...scores } = result.evaluation;
  const lines = [
    `PyTorch reference, ${minutes} min, ${threads} thread(s), ${result.steps ?? '?'} steps, ${values['no-tta'] ? 'one pass' : '8-fold TTA'}: ${test.pairs.length} test image(s)`,
    '',
    `| image | ${HEADLINE.join(' | ')} | Otsu ${HEADLINE.join(' / ')} |`,
    `|---|${HEADLINE.map(() => '---|').join('')}---|`,
    ...scores.images.map((image) => {
      const baseline = otsu?.images.find((b) => b.name === image.name)?.metrics;
      return `| ${image.name} | ${HEADLINE.map((m) => fmt(image.metrics[m])).join(' | ')} | ${HEADLINE.map((m) => fmt(baseline?.[m])).join(' / ')} |`;
    }),
    `| **mean** | ${HEADLINE.map((m) => fmt(scores.mean[m])).join(' | ')} | ${HEADLINE.map((m) => fmt(otsu?.mean[m])).join(' / ')} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = path.join(root, '.bench', `reference-${values.name}.json`);
  writeFileSync(json, JSON.stringify({ minutes, threads, seed: shape.seed, tta: !values['no-tta'], steps: result.steps, seconds: result.seconds, reference: scores, otsu: otsu ?? null }, null, 2));
  process.stderr.write(`wrote ${path.relative(root, json)}\n`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
