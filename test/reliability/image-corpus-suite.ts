import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src-shared/contract/images';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { DatasetDetail, ImagePage } from '../../src-shared/contract/records';
import { createAppContext } from '../../src-main/app/app-context';
import { makeImageCorpus, type CorpusEntry } from '../../scripts/fuzz/make-image-corpus';
import { corpusProblems, readCorpusInChildren, summarize, type CorpusLimits, type CorpusRun } from './corpus-harness';
import { writeFigures } from './figures';

export interface ImageCorpusSuite {
  /** Name of the figures file (test-results/reliability/<name>.json). */
  name: string;
  count: number;
  includeSlow: boolean;
  batchSize: number;
  limits: CorpusLimits;
}

const MiB = 2 ** 20;
export const DEFAULT_LIMITS: CorpusLimits = { perFileTimeoutMs: 30_000, maxRssBytes: 1536 * MiB, maxVmGrowthBytes: 1536 * MiB };

/**
 * The malformed-image corpus through the readers (in child processes) and through `images.import`:
 * no crash, no hang, bounded memory, and every failure a typed error naming its file.
 */
export function imageCorpusSuite(suite: ImageCorpusSuite): void {
  describe(`malformed image corpus (${suite.count} files)`, () => {
    let dir: string;
    let entries: CorpusEntry[];
    let run: CorpusRun | undefined;

    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'unet-corpus-'));
      entries = makeImageCorpus({ dir: path.join(dir, 'files'), count: suite.count, includeSlow: suite.includeSlow });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is what was asked for: seeded, covering every family, with valid controls', () => {
      expect(entries.length).toBe(suite.count);
      const families = new Set(entries.map((e) => e.family));
      for (const family of ['control', 'truncated', 'not-an-image', 'tiff-dimensions', 'tiff-blocks', 'tiff-ifd', 'tiff-bigtiff', 'tiff-compression', 'tiff-bomb', 'png-crc', 'png-bomb', 'jpeg-frame']) {
        expect(families, family).toContain(family);
      }
      expect(entries.filter((e) => e.valid).length).toBeGreaterThanOrEqual(15);
    });

    it('every file: metadata, full read and a region read never crash, hang or run away with memory, and fail only with typed errors', async () => {
      run = await readCorpusInChildren(
        entries.map((e) => e.path),
        { batchSize: suite.batchSize, concurrency: 2, perFileTimeoutMs: suite.limits.perFileTimeoutMs },
      );
      const problems = corpusProblems(entries, run, suite.limits);
      const summary = summarize(entries, run, problems);
      writeFigures(suite.name, { ...summary, problemList: problems.slice(0, 50) });
      console.log(`image corpus ${suite.name}: ${JSON.stringify(summary)}`);
      expect(problems).toEqual([]);
      expect(run.results.size).toBe(entries.length);
      // The corpus must actually be malformed: most reads fail, and all controls succeed.
      expect(summary.succeeded).toBeLessThan(summary.reads / 2);
    });

    it('importing the folder finishes: bad files are reported one by one, good ones are imported', async () => {
      expect(run?.crashes ?? [], 'the readers crashed on the corpus; importing it in-process is not attempted').toEqual([]);
      const ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
      try {
        const call = async <T>(method: string, input: unknown): Promise<T> => {
          const outcome = await ctx.dispatch(method, input);
          if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
          return outcome.value as T;
        };
        const dataset = await call<DatasetDetail>('datasets.create', { name: 'corpus' });
        const started = await call<JobInfo>('images.import', { datasetId: dataset.id, paths: [path.join(dir, 'files')], masks: false });
        const job = await ctx.jobs.wait(started.id);
        expect(job.status, job.error?.message).toBe('succeeded');
        const result = job.result as ImportResult;

        const readable = new Set(entries.filter((e) => run?.results.get(e.path)?.ops[0].ok).map((e) => e.path));
        const failed = new Map(result.failures.map((f) => [f.path, f.error]));
        expect(result.imported + result.failures.length).toBe(entries.length);
        expect(result.imported).toBe(readable.size);
        for (const entry of entries) {
          if (readable.has(entry.path)) expect(failed.has(entry.path), `${entry.path} was readable but not imported`).toBe(false);
          else expect(failed.get(entry.path), `${entry.path} is unreadable but was not reported`).toContain(entry.path);
        }
        for (const control of entries.filter((e) => e.valid)) expect(failed.has(control.path), control.path).toBe(false);

        const page = await call<ImagePage>('images.list', { datasetId: dataset.id, limit: 1000 });
        expect(page.total).toBe(result.imported);
        // The thumbnails made after an import decode every imported file in this process.
        const thumbnails = ctx.jobs.list().filter((j) => j.kind === 'thumbnails');
        for (const t of thumbnails) expect((await ctx.jobs.wait(t.id)).status).toBe('succeeded');
        expect((await ctx.dispatch('system.ping', { echo: 'alive' })).ok).toBe(true);
        writeFigures(`${suite.name}-import`, { files: entries.length, imported: result.imported, reportedFailures: result.failures.length });
      } finally {
        await ctx.close();
      }
    });
  });
}
