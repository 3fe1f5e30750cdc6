/**
 * The malformed-image corpus: valid TIFF/PNG/JPEG seeds (made by the app's writers, pngjs, jpeg-js and
 * a TIFF builder, plus test/fixtures/images when present) mutated into broken files, seeded and
 * deterministic. Used by test/reliability; also runnable to look at the files:
 *
 *   npx tsx scripts/fuzz/make-image-corpus.ts --out DIR [--count 600] [--seed 1] [--slow] [--no-fixtures]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CorpusCase } from './corpus-case';
import { fixtureSeeds, generatedSeeds } from './corpus-seeds';
import { nonImageCases, randomCases, truncationCases } from './generic-mutations';
import { jpegCases } from './jpeg-mutations';
import { pngCases } from './png-mutations';
import { tiffCases } from './tiff-mutations';

export const DEFAULT_CORPUS_SEED = 1;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_FIXTURES_DIR = path.join(ROOT, 'test', 'fixtures', 'images');

export interface CorpusOptions {
  /** Folder to write into (created if needed). */
  dir: string;
  /** How many files. Below the number of targeted cases, families are sampled evenly. */
  count: number;
  seed?: number;
  /** Extra seeds for the random mutations; null for none. Default: test/fixtures/images. */
  fixturesDir?: string | null;
  /** Include the cases that take seconds each (legal decodes at the pixel budget). */
  includeSlow?: boolean;
}

export interface CorpusEntry {
  path: string;
  family: string;
  label: string;
  from: string;
  /** A valid image: reads must succeed. */
  valid: boolean;
  bytes: number;
}

/** Takes one case from each family in turn until `count` are taken (a family's own order is kept). */
function sampleEvenly(cases: CorpusCase[], count: number): CorpusCase[] {
  const byFamily = new Map<string, CorpusCase[]>();
  for (const c of cases) byFamily.set(c.family, [...(byFamily.get(c.family) ?? []), c]);
  const queues = [...byFamily.values()];
  const picked: CorpusCase[] = [];
  for (let round = 0; picked.length < count; round++) {
    let any = false;
    for (const queue of queues) {
      if (round < queue.length && picked.length < count) {
        picked.push(queue[round]);
        any = true;
      }
    }
    if (!any) break;
  }
  return picked;
}

function fileName(index: number, c: CorpusCase): string {
  const base = `${String(index).padStart(4, '0')}-${c.family}-${c.label}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return base + c.ext;
}

/** The cases a corpus of `count` files is made of, before anything is written. */
export function planImageCorpus(options: Omit<CorpusOptions, 'dir'>): CorpusCase[] {
  const seed = options.seed ?? DEFAULT_CORPUS_SEED;
  const generated = generatedSeeds();
  const all = [...generated, ...fixtureSeeds(options.fixturesDir === undefined ? DEFAULT_FIXTURES_DIR : (options.fixturesDir ?? ''))];
  const controls: CorpusCase[] = generated.map((s) => ({
    family: 'control',
    label: s.name.replace(/\.[^.]+$/, ''),
    from: s.name,
    ext: s.name.slice(s.name.lastIndexOf('.')),
    valid: true,
    make: () => s.bytes,
  }));
  const targeted = [...tiffCases(generated), ...pngCases(generated), ...jpegCases(generated), ...nonImageCases(generated), ...truncationCases(generated)]
    .filter((c) => options.includeSlow || !c.slow);
  const fixed = controls.length + targeted.length;
  if (options.count >= fixed) return [...controls, ...targeted, ...randomCases(all, options.count - fixed, seed)];
  // A smaller corpus: every control, then all families (targeted and random) sampled evenly.
  const random = randomCases(all, 9 * 8, seed);
  return [...controls, ...sampleEvenly([...targeted, ...random], Math.max(0, options.count - controls.length))];
}

/** Writes the corpus into `dir` and lists what each file is. */
export function makeImageCorpus(options: CorpusOptions): CorpusEntry[] {
  mkdirSync(options.dir, { recursive: true });
  return planImageCorpus(options).map((c, index) => {
    const bytes = c.make();
    const file = path.join(options.dir, fileName(index, c));
    writeFileSync(file, bytes);
    return { path: file, family: c.family, label: c.label, from: c.from, valid: c.valid ?? false, bytes: bytes.length };
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      count: { type: 'string', default: '600' },
      seed: { type: 'string', default: String(DEFAULT_CORPUS_SEED) },
      slow: { type: 'boolean', default: false },
      'no-fixtures': { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const entries = makeImageCorpus({
    dir: values.out,
    count: Number(values.count),
    seed: Number(values.seed),
    includeSlow: values.slow,
    fixturesDir: values['no-fixtures'] ? null : undefined,
  });
  const families = new Map<string, number>();
  for (const e of entries) families.set(e.family, (families.get(e.family) ?? 0) + 1);
  for (const [family, n] of [...families].sort()) console.log(`${family.padEnd(26)} ${String(n).padStart(4)}`);
  const megabytes = entries.reduce((n, e) => n + e.bytes, 0) / 2 ** 20;
  console.log(`${entries.length} files, ${megabytes.toFixed(1)} MiB in ${values.out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
