/**
 * Scores the starter nuclei model and writes its model card (resources/models/NAME/MODEL_CARD.md).
 *
 *   npm run evaluate:starter -- [--model resources/models/nuclei] [--data ../shared/data/dsb2018-stage1]
 *
 * Segments, with instances, the images train:starter held out (split.json) and the demo's test images
 * through `unet-studio segment --masks`, so each score comes with an Otsu threshold on the same images,
 * and writes the card: data, split, steps, engine, time, scores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(root, 'resources', 'models', 'nuclei') },
    data: { type: 'string', default: path.resolve(root, '..', 'shared', 'data', 'dsb2018-stage1') },
    work: { type: 'string', default: path.join(root, '.bench', 'starter-eval') },
  },
});

type Means = Record<string, number | null>;
interface Scored {
  images: number;
  model: Means;
  otsu: Means;
  verdict: string | null;
}

function place(file: string, dest: string): void {
  try {
    linkSync(file, dest);
  } catch {
    copyFileSync(file, dest);
  }
}

/** Runs the CLI's segment with scoring on a folder of images and masks. */
function segmentAndScore(modelDir: string, imagesDir: string, masksDir: string, outDir: string): Scored {
  const stdout = execFileSync(
    process.execPath,
    [path.join(root, 'bin', 'unet-studio.js'), 'segment', '--model', modelDir, '--images', imagesDir, '--out', outDir, '--instances', '--masks', masksDir, '--json', '--workspace', path.join(path.dirname(outDir), 'workspace')],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const result = JSON.parse(stdout) as { evaluation: { images: unknown[]; mean: Means; baseline: { mean: Means }; verdict?: { text?: string } | string | null } };
  const verdict = result.evaluation.verdict;
  return {
    images: result.evaluation.images.length,
    model: result.evaluation.mean,
    otsu: result.evaluation.baseline.mean,
    verdict: typeof verdict === 'string' ? verdict : (verdict?.text ?? null),
  };
}

interface Recipe {
  preset: string;
  optimizer: string;
  momentum?: number;
  learningRate: number;
  lrSchedule: string;
  batchNorm: boolean;
  borderClass: boolean;
  /** The model folder the run was fine-tuned from, if any. */
  init?: string;
}

/** The recipe as train:starter recorded it; a model from before that record says so rather than guess. */
function recipeLine(r: Recipe | undefined): string {
  if (!r) return 'not recorded with this model';
  const optimizer = r.optimizer === 'adam' ? 'Adam' : `SGD, momentum ${r.momentum ?? '?'}`;
  const schedule = r.lrSchedule === 'cosine' ? ' with a cosine decay over the budget' : '';
  const extras = [r.batchNorm ? 'batch normalisation (folded into the saved model)' : null, r.borderClass ? 'a third class for the borders between touching nuclei' : null].filter(Boolean);
  const start = r.init ? `, fine-tuned from ${path.basename(r.init)}` : '';
  return `the ${r.preset} preset${start}: ${optimizer}, learning rate ${r.learningRate}${schedule}${extras.length ? `; ${extras.join(', ')}` : ''}`;
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : '–');

function row(label: string, s: Scored): string[] {
  return [
    `| ${label} (${s.images} images) | U-Net Studio starter | ${fmt(s.model.iou)} | ${fmt(s.model.seg)} | ${fmt(s.model.ap50)} |`,
    `| | Otsu threshold (Gaussian σ 1) | ${fmt(s.otsu.iou)} | ${fmt(s.otsu.seg)} | ${fmt(s.otsu.ap50)} |`,
  ];
}

function main(): void {
  const modelDir = path.resolve(values.model!);
  const split = JSON.parse(readFileSync(path.join(modelDir, 'split.json'), 'utf8')) as { train: string[]; validation: string[]; heldOut: string[]; steps: number | null; runId: number; categories?: string };
  const unet = JSON.parse(readFileSync(path.join(modelDir, 'unet.json'), 'utf8')) as { architecture: Record<string, number>; classNames?: string[]; borderClass?: number; tile: { input: number; output: number }; training: { step: number; backend: string; validation?: { iou: number } } };
  const work = path.resolve(values.work!);
  rmSync(work, { recursive: true, force: true });
  const held = path.join(work, 'held-out');
  for (const sub of ['images', 'masks']) mkdirSync(path.join(held, sub), { recursive: true });
  const dataDir = path.resolve(values.data!);
  for (const id of split.heldOut) {
    for (const sub of ['images', 'masks']) place(path.join(dataDir, sub, `${id}.png`), path.join(held, sub, `${id}.png`));
  }
  process.stderr.write(`scoring ${split.heldOut.length} held-out images\n`);
  const heldOut = segmentAndScore(modelDir, path.join(held, 'images'), path.join(held, 'masks'), path.join(work, 'held-out-predictions'));
  const demoTest = path.join(root, 'resources', 'demo', 'test');
  const demo = existsSync(demoTest) ? segmentAndScore(modelDir, path.join(demoTest, 'images'), path.join(demoTest, 'masks'), path.join(work, 'demo-predictions')) : null;
  const provenance = existsSync(path.join(modelDir, 'training.json')) ? (JSON.parse(readFileSync(path.join(modelDir, 'training.json'), 'utf8')) as Record<string, unknown>) : {};
  const a = unet.architecture;
  const card = [
    `# Starter model: ${path.basename(modelDir)}`,
    '',
    `A U-Net (Ronneberger et al. 2015) for nuclei in ${split.categories && split.categories !== 'all' ? `${split.categories} images` : 'fluorescence, brightfield and stained-tissue images'}, to fine-tune`,
    'on your own images ("start from" in Train, or `unet-studio train --init starter:' + path.basename(modelDir) + '`). It',
    `segments nuclei (class "${unet.classNames?.[2] ?? 'cell'}") from background${unet.borderClass !== undefined ? ', with a class for the borders between touching nuclei' : ''}; instances come from its calibrated post-processing.`,
    '',
    '## Training',
    `- Data: the 2018 Data Science Bowl stage-1 training set (BBBC038, CC0; with the community's mask fixes)${split.categories && split.categories !== 'all' ? `, its ${split.categories} images` : ''}: ${split.train.length} images trained on, ${split.validation.length} for validation, ${split.heldOut.length} held out (listed in split.json). Every image of the demo and of the DSB benchmark set (../shared/data/dsb2018, 27 images) was left out.`,
    `- Network: depth ${a.depth}, ${a.baseChannels} base channels (the fast preset), tile ${unet.tile.input} → ${unet.tile.output}, per-image percentile normalisation.`,
    `- Recipe: ${recipeLine(provenance.recipe as Recipe | undefined)}; the paper's weight map (w0 10, σ 5); elastic deformation, rotations, flips, grey values.`,
    `- Steps: ${unet.training.step} kept (best validation IoU ${fmt(unet.training.validation?.iou)}), on ${unet.training.backend}${provenance.minutes ? `, ${provenance.minutes} minutes on ${provenance.machine}` : ''}.`,
    ...(Array.isArray(provenance.stages) ? ['- Stages:', ...(provenance.stages as string[]).map((stage) => `  - ${stage}`)] : []),
    '- Reproduce: `npm run train:starter` (add `--init DIR` to continue from a model), then `npm run evaluate:starter` (writes this card).',
    '',
    '## Scores (instances from the model\'s calibrated post-processing; Otsu: objects are its connected components)',
    '',
    '| images | method | foreground IoU | SEG | AP@0.5 |',
    '|---|---|---|---|---|',
    ...row('DSB stage 1, held out', heldOut),
    ...(demo ? row("demo's test images", demo) : []),
    '',
    ...(heldOut.verdict ? [`Held out: ${heldOut.verdict}`] : []),
    ...(demo?.verdict ? [`Demo test images: ${demo.verdict}`] : []),
    '',
    '## Licence and citation',
    'Trained on BBBC038 (CC0). Cite: Caicedo, J.C. et al. Nucleus segmentation across imaging experiments: the 2018 Data',
    'Science Bowl. Nature Methods 16, 1247–1253 (2019); and Ronneberger, O., Fischer, P., Brox, T. U-Net (MICCAI 2015).',
    '',
  ].join('\n');
  writeFileSync(path.join(modelDir, 'MODEL_CARD.md'), card);
  writeFileSync(path.join(work, 'scores.json'), JSON.stringify({ heldOut, demo }, null, 1));
  process.stdout.write(card);
}

main();
