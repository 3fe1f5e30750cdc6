#!/usr/bin/env -S node --import tsx
// Builds resources/demo/ (the data set `npm run demo` trains on) from the CC0 DSB 2018 subset:
// `npx tsx scripts/make-demo-data.ts [--source DIR]` (default ../shared/data/dsb2018).
// Picks fluorescence nuclei images with at least 10 annotated nuclei, copies them byte for byte
// (RGBA PNG images, 16-bit instance-label PNG masks) into train/ and test/ folders, and writes the
// source and licence note. Deterministic: the same source gives the same folder.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { source: { type: 'string' }, out: { type: 'string' } } });
const source = path.resolve(values.source ?? path.join(root, '..', 'shared', 'data', 'dsb2018'));
const out = path.resolve(values.out ?? path.join(root, 'resources', 'demo'));

interface Entry {
  file: string;
  width: number;
  height: number;
  category: string;
  nuclei: number;
}

const TRAIN_COUNT = 8;
const TEST_COUNT = 4;
const MIN_NUCLEI = 10;
const MAX_BYTES = 2 * 1024 * 1024;

function readIndex(): Entry[] {
  const file = path.join(source, 'index.csv');
  if (!existsSync(file)) throw new Error(`${file} not found: pass --source DIR (the dsb2018 folder with index.csv)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name, , height, width, category, nuclei] = line.split(',');
      return { file: name, width: Number(width), height: Number(height), category, nuclei: Number(nuclei) };
    });
}

/** Small fluorescence images first (the demo must train in minutes on two cores), then by name. */
function choose(entries: Entry[]): { train: Entry[]; test: Entry[] } {
  const usable = entries
    .filter((e) => e.category === 'fluor' && e.nuclei >= MIN_NUCLEI && e.width * e.height <= 360 * 360)
    .sort((a, b) => a.width * a.height - b.width * b.height || a.file.localeCompare(b.file));
  if (usable.length < TRAIN_COUNT + TEST_COUNT) throw new Error(`only ${usable.length} usable fluorescence images in ${source}`);
  const picked = usable.slice(0, TRAIN_COUNT + TEST_COUNT);
  // Every third picked image is held out, so both splits see the same kinds of image.
  const test = picked.filter((_, i) => i % 3 === 2).slice(0, TEST_COUNT);
  const train = picked.filter((e) => !test.includes(e)).slice(0, TRAIN_COUNT);
  return { train, test };
}

function copySplit(split: string, list: Entry[]): number {
  let bytes = 0;
  for (const kind of ['images', 'masks']) {
    const dir = path.join(out, split, kind);
    mkdirSync(dir, { recursive: true });
    for (const entry of list) {
      const from = path.join(source, kind, entry.file);
      copyFileSync(from, path.join(dir, entry.file));
      bytes += statSync(from).size;
    }
  }
  return bytes;
}

const README = (train: Entry[], test: Entry[]) => `# Demo data: fluorescence nuclei (DSB 2018 / BBBC038)

${train.length + test.length} image/mask pairs of stained nuclei from the 2018 Data Science Bowl training set
(Broad Bioimage Benchmark Collection BBBC038v1), used by \`npm run demo\` / \`unet-studio demo\`.

- \`train/images\`, \`train/masks\`: ${train.length} pairs the demo trains on (a fraction of them validates).
- \`test/images\`, \`test/masks\`: ${test.length} held-out pairs the demo segments and scores.
- Images: PNG, RGBA 8-bit (grey values repeated in R, G and B), as published.
- Masks: PNG, 16-bit, instance labels (0 = background, 1..N = one nucleus each), merged from the
  per-nucleus masks of the original set.

| split | file | size (w x h) | nuclei |
|---|---|---|---|
${[...train.map((e) => ['train', e] as const), ...test.map((e) => ['test', e] as const)]
  .map(([s, e]) => `| ${s} | ${e.file} | ${e.width} x ${e.height} | ${e.nuclei} |`)
  .join('\n')}

Source: Caicedo, J.C., Goodman, A., Karhohs, K.W. et al. Nucleus segmentation across imaging
experiments: the 2018 Data Science Bowl. Nature Methods 16, 1247–1253 (2019).
https://doi.org/10.1038/s41592-019-0612-7 — data: https://bbbc.broadinstitute.org/BBBC038

Licence: CC0 1.0 (public domain dedication), see LICENSE. Regenerate with
\`npx tsx scripts/make-demo-data.ts --source PATH/TO/dsb2018\`.
`;

const LICENSE = `The images and masks in this folder come from the Broad Bioimage Benchmark Collection,
data set BBBC038v1 (2018 Data Science Bowl, stage 1 training set), which is released under
CC0 1.0 Universal (public domain dedication):
https://creativecommons.org/publicdomain/zero/1.0/

Please cite: Caicedo et al., "Nucleus segmentation across imaging experiments: the 2018 Data
Science Bowl", Nature Methods 16, 1247–1253 (2019), doi:10.1038/s41592-019-0612-7.
`;

const { train, test } = choose(readIndex());
rmSync(out, { recursive: true, force: true });
const bytes = copySplit('train', train) + copySplit('test', test);
writeFileSync(path.join(out, 'README.md'), README(train, test));
writeFileSync(path.join(out, 'LICENSE'), LICENSE);
if (bytes > MAX_BYTES) throw new Error(`demo data is ${(bytes / 1024 / 1024).toFixed(2)} MB, over the 2 MB budget`);
console.log(`demo data: ${train.length} train + ${test.length} test pairs, ${(bytes / 1024).toFixed(0)} KiB -> ${path.relative(process.cwd(), out)}`);
