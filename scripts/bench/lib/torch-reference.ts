/**
 * The PyTorch reference U-Net (../shared/tools/torch-reference) beside a bench:paper fold: same
 * training images, same time budget, same thread count, predictions scored by the app's own metrics.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImagePair } from '../../../src-main/io/image-pairs';
import { evaluateFolders, type FolderEvaluation } from '../../../src-main/workflows/evaluate-folders';

const PYTHON = '/usr/bin/python3';
// glibc keeps freed big blocks instead of returning them on every step (the reference's own advice).
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '68719476736' };

/** The shared reference's own recipes, and the app's recipe for complete instance masks (torch_reference_nuclei.py). */
export type ReferenceDataset = 'isbi' | 'dic' | 'nuclei';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The shared reference, beside the project. */
const SHARED_SCRIPT = path.resolve(here, '..', '..', '..', '..', 'shared', 'tools', 'torch-reference', 'unet_reference.py');
/** The nuclei recipe: the shared reference, imported and given DSB 2018's targets and post-processing. */
const NUCLEI_ADAPTER = path.join(here, 'torch_reference_nuclei.py');

/** The reference's name for a shared data set, or null when it has no recipe for it. */
export function referenceDataset(dataDir: string): ReferenceDataset | null {
  const base = path.basename(path.resolve(dataDir));
  return base === 'isbi2012' ? 'isbi' : base === 'dic-hela' ? 'dic' : base === 'dsb2018' ? 'nuclei' : null;
}

/** Why the reference cannot run here, or null. */
export function referenceObstacle(): string | null {
  if (!existsSync(SHARED_SCRIPT)) return `${SHARED_SCRIPT} is absent`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, scipy, skimage, PIL'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} lacks torch, scipy, scikit-image or PIL (Debian: apt-get install python3-torch python3-scipy python3-skimage python3-pil)`;
  return null;
}

type BaselineOption = Parameters<typeof evaluateFolders>[3];

export interface ReferenceRun {
  steps: number | null;
  seconds: number | null;
  evaluation: FolderEvaluation;
}

/**
 * Trains the reference on the fold's training images (their indices in the reference's sorted listing)
 * for `minutes`, predicts the held-out images and scores them. Started by `start` so it can run beside
 * the app's training; `finish` predicts and scores once it has trained.
 */
export function startReference(options: { dataset: ReferenceDataset; dataDir: string; allNames: string[]; train: ImagePair[]; minutes: number; threads: number; tile: number; base: number; outDir: string; seed: number; tta: boolean }) {
  const { dataset, outDir } = options;
  mkdirSync(outDir, { recursive: true });
  const script = dataset === 'nuclei' ? NUCLEI_ADAPTER : SHARED_SCRIPT;
  const env = { ...process.env, ...MALLOC_ENV, REF_THREADS: String(options.threads), REF_CACHE: path.join(outDir, '..', 'reference-cache'), REF_SCRIPT: SHARED_SCRIPT, REF_DATA: path.resolve(options.dataDir) };
  const sorted = [...options.allNames].sort();
  const trainIdx = options.train.map((p) => sorted.indexOf(path.basename(p.image))).filter((i) => i >= 0);
  const prep = spawnSync(PYTHON, [script, 'prep', dataset], { env, encoding: 'utf8' });
  if (prep.status !== 0) throw new Error(`reference prep failed: ${prep.stderr.trim().split('\n').pop()}`);
  const args = [script, 'train', dataset, '--tile', String(options.tile), '--base', String(options.base), '--budget', String(options.minutes * 60), '--out', outDir, '--train-idx', trainIdx.join(','), '--seed', String(options.seed)];
  const child = spawn(PYTHON, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const trained = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`reference training exited with ${code}: ${stderr.trim().split('\n').slice(-2).join(' | ')}`))));
  });
  return {
    /** With `baseline`, the same scoring pass also scores an Otsu threshold of those images. */
    async finish(test: ImagePair[], masksDir: string, baseline?: BaselineOption): Promise<ReferenceRun> {
      await trained;
      const imagesDir = path.join(outDir, 'held-out-images');
      const predDir = path.join(outDir, 'predictions');
      mkdirSync(imagesDir, { recursive: true });
      for (const p of test) {
        const link = path.join(imagesDir, path.basename(p.image));
        if (!existsSync(link)) symlinkSync(path.resolve(p.image), link);
      }
      const predict = spawnSync(PYTHON, [script, 'predict', path.join(outDir, 'model.pt'), imagesDir, predDir, '--dataset', dataset, ...(options.tta ? ['--tta'] : [])], { env, encoding: 'utf8' });
      if (predict.status !== 0) throw new Error(`reference prediction failed: ${predict.stderr.trim().split('\n').pop()}`);
      const summary = readSummary(outDir);
      return { steps: summary.steps, seconds: summary.seconds, evaluation: await evaluateFolders(predDir, masksDir, undefined, baseline) };
    },
  };
}

function readSummary(outDir: string): { steps: number | null; seconds: number | null } {
  const file = path.join(outDir, 'train_summary.json');
  if (!existsSync(file)) return { steps: null, seconds: null };
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return { steps: num(json.steps), seconds: num(json.elapsed_s) };
}
