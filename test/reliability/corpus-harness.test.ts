import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../scripts/fuzz/make-image-corpus';
import { corpusProblems, readCorpusInChildren } from './corpus-harness';

const fake = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-reader-child.ts');
const MiB = 2 ** 20;

describe('the corpus harness', () => {
  it('notices a crash, a hang, memory growth, a huge allocation and a raw exception, and reads on past each', async () => {
    const names = ['a', 'crash-b', 'c', 'hang-d', 'e', 'bloat-f', 'reserve-g', 'throw-h', 'i'];
    const entries: CorpusEntry[] = names.map((name) => ({ path: `/corpus/${name}.tif`, family: 'test', label: name, from: 'none', valid: false, bytes: 1 }));
    const run = await readCorpusInChildren(entries.map((e) => e.path), { batchSize: 100, concurrency: 1, perFileTimeoutMs: 3000, childScript: fake });
    expect(run.crashes.map((c) => c.path)).toEqual(['/corpus/crash-b.tif']);
    expect(run.crashes[0].reason).toMatch(/SIGKILL/);
    expect(run.hangs.map((h) => h.path)).toEqual(['/corpus/hang-d.tif']);
    expect([...run.results.keys()].sort()).toEqual(['a', 'c', 'e', 'bloat-f', 'reserve-g', 'throw-h', 'i'].map((n) => `/corpus/${n}.tif`).sort());
    expect(run.children).toBe(3);

    // The child that read e.tif started fresh after the hang: its size then is the baseline.
    const baseline = (run.results.get('/corpus/e.tif')?.maxRssKb ?? 0) * 1024;
    const problems = corpusProblems(entries, run, { perFileTimeoutMs: 3000, maxRssBytes: baseline + 24 * MiB, maxVmGrowthBytes: 1024 * MiB });
    const about = (name: string) => problems.filter((p) => p.includes(`/corpus/${name}.tif`));
    expect(about('crash-b')).toHaveLength(1);
    expect(about('hang-d')).toHaveLength(1);
    expect(about('bloat-f').join()).toMatch(/peak RSS/);
    expect(about('throw-h').join()).toMatch(/threw TypeError \(not a UnetError\)/);
    if (run.results.get('/corpus/reserve-g.tif')?.vmPeakGrowthKb !== null) expect(about('reserve-g').join()).toMatch(/raised peak virtual memory by 20\d\d MiB/);
    expect(about('a')).toEqual([]);
    expect(about('e')).toEqual([]);
  });
});
