/**
 * Store paging benchmark: a data set of 10,000 images (half annotated, splits 70/20/10) listed a
 * page at a time, through the store and through the contract (validation + service), plus the
 * data set summary, the training set query and annotation save/load.
 *
 *   npx tsx scripts/bench/store-paging.ts [--images N] [--repeats N]
 *
 * Prints a table and writes .bench/store-paging.json. The workspace is a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../../src-main/app/app-context';
import { Workspace } from '../../src-main/store/workspace';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const IMAGES = arg('images', 10_000);
const REPEATS = arg('repeats', 30);
const PAGE = 100;
const ANNOTATION_SIZE = 256;

function stats(samples: number[]): { medianMs: number; p95Ms: number; minMs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), minMs: round(s[0]) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function annotationMaps(seed: number): { classMap: Uint8Array; instanceMap: Uint32Array } {
  const n = ANNOTATION_SIZE * ANNOTATION_SIZE;
  const classMap = new Uint8Array(n).fill(1);
  const instanceMap = new Uint32Array(n);
  // A few painted discs per image, like a sparse ground truth.
  for (let k = 0; k < 6; k++) {
    const cx = (seed * 37 + k * 53) % ANNOTATION_SIZE;
    const cy = (seed * 91 + k * 29) % ANNOTATION_SIZE;
    for (let y = Math.max(0, cy - 12); y < Math.min(ANNOTATION_SIZE, cy + 12); y++) {
      for (let x = Math.max(0, cx - 12); x < Math.min(ANNOTATION_SIZE, cx + 12); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 < 144) {
          classMap[y * ANNOTATION_SIZE + x] = 2;
          instanceMap[y * ANNOTATION_SIZE + x] = k + 1;
        }
      }
    }
  }
  return { classMap, instanceMap };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'store-bench-'));
  try {
    const ws = Workspace.open(dir);
    const datasetId = ws.datasets.create({ name: 'bench' }).id;
    const splits = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'validation', 'validation', 'test'] as const;
    let t0 = performance.now();
    ws.transaction(() => {
      for (let i = 0; i < IMAGES; i++) {
        const name = `img_${String(i).padStart(5, '0')}.tif`;
        ws.images.insert({
          datasetId,
          path: `/data/bench/images/${name}`,
          name,
          size: 512 * 512 * 2,
          mtimeMs: 1_700_000_000_000 + i,
          contentHash: `${i.toString(16).padStart(64, '0')}`,
          width: ANNOTATION_SIZE,
          height: ANNOTATION_SIZE,
          frames: 1,
          channels: 1,
          dtype: 'uint16',
          pixelSizeUm: 0.65,
          split: splits[i % splits.length],
        });
      }
    });
    const insertMs = performance.now() - t0;
    const ids = ws.images.list({ datasetId, limit: 1000 }).total;
    const allIds = (ws.db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    t0 = performance.now();
    ws.transaction(() => {
      // Half of the images, spread over every split: i % 4 in {0, 1}.
      for (let i = 0; i < allIds.length; i++) if (i % 4 < 2) ws.annotations.save(allIds[i], { ...annotationMaps(i), source: 'import' });
    });
    const annotateMs = performance.now() - t0;

    // Single autosaves, each its own fsynced transaction.
    const saveSamples: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const maps = annotationMaps(100_000 + r);
      const s = performance.now();
      ws.annotations.save(allIds[2], maps);
      saveSamples.push(performance.now() - s);
    }
    const loadSamples: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const s = performance.now();
      ws.annotations.latest(allIds[r * 4]);
      loadSamples.push(performance.now() - s);
    }
    ws.close();

    const ctx = createAppContext({ mode: 'cli', workspacePath: dir });
    const store = ctx.workspace.current;
    const cases: { label: string; query: Record<string, unknown> }[] = [
      { label: 'first page', query: { offset: 0 } },
      { label: 'middle page (offset 5000)', query: { offset: 5000 } },
      { label: 'last page', query: { offset: IMAGES - PAGE } },
      { label: 'annotated, page 10', query: { annotated: true, offset: 10 * PAGE } },
      { label: 'not annotated, first page', query: { annotated: false } },
      { label: 'split=train, page 20', query: { split: 'train', offset: 20 * PAGE } },
      { label: 'split=test + annotated', query: { split: 'test', annotated: true } },
      { label: 'name contains "77"', query: { name: '77' } },
    ];
    const rows: Record<string, unknown>[] = [];
    for (const c of cases) {
      const query = { datasetId, limit: PAGE, ...c.query };
      const storeSamples: number[] = [];
      const apiSamples: number[] = [];
      let total = 0;
      let items = 0;
      store.images.list(query);
      await ctx.dispatch('images.list', query);
      for (let r = 0; r < REPEATS; r++) {
        let s = performance.now();
        const page = store.images.list(query);
        storeSamples.push(performance.now() - s);
        total = page.total;
        items = page.items.length;
        s = performance.now();
        const outcome = await ctx.dispatch('images.list', query);
        apiSamples.push(performance.now() - s);
        if (!outcome.ok) throw new Error(outcome.error.message);
      }
      rows.push({ case: c.label, total, items, store: stats(storeSamples), api: stats(apiSamples) });
    }
    const summarySamples: number[] = [];
    const trainingSamples: number[] = [];
    let trainingCount = 0;
    for (let r = 0; r < REPEATS; r++) {
      let s = performance.now();
      store.datasets.list();
      summarySamples.push(performance.now() - s);
      s = performance.now();
      trainingCount = store.trainingSet(datasetId, 'train').length;
      trainingSamples.push(performance.now() - s);
    }
    const dbBytes = statSync(store.databasePath).size;
    const blob = store.db.prepare('SELECT avg(length(class_map)) AS c, avg(length(instance_map)) AS i FROM annotation_versions').get() as { c: number; i: number };
    await ctx.close();

    const result = {
      benchmark: 'store-paging',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: `${process.platform}-${process.arch}` },
      images: IMAGES,
      annotated: allIds.length / 2,
      pageSize: PAGE,
      repeats: REPEATS,
      setup: {
        insertImagesMs: round(insertMs),
        insertAnnotationsMs: round(annotateMs),
        databaseMiB: round(dbBytes / 2 ** 20),
        totalImages: ids,
        annotationBytes: { classMap: Math.round(blob.c), instanceMap: Math.round(blob.i) },
      },
      pages: rows,
      datasetSummary: stats(summarySamples),
      trainingSet: { ...stats(trainingSamples), images: trainingCount },
      annotationSave256: stats(saveSamples),
      annotationLoad256: stats(loadSamples),
    };

    console.log(`store paging: ${IMAGES} images (${allIds.length / 2} annotated), pages of ${PAGE}, ${REPEATS} repeats, median / p95 ms`);
    console.log('| case | total | store ms | contract ms |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows as { case: string; total: number; store: ReturnType<typeof stats>; api: ReturnType<typeof stats> }[]) {
      console.log(`| ${r.case} | ${r.total} | ${r.store.medianMs} / ${r.store.p95Ms} | ${r.api.medianMs} / ${r.api.p95Ms} |`);
    }
    console.log(`| datasets.list (counts over ${IMAGES}) | | ${result.datasetSummary.medianMs} / ${result.datasetSummary.p95Ms} | |`);
    console.log(`| trainingSet(train) -> ${trainingCount} | | ${result.trainingSet.medianMs} / ${result.trainingSet.p95Ms} | |`);
    console.log(`| annotation save 256x256 (fsync) | | ${result.annotationSave256.medianMs} / ${result.annotationSave256.p95Ms} | |`);
    console.log(`| annotation load 256x256 | | ${result.annotationLoad256.medianMs} / ${result.annotationLoad256.p95Ms} | |`);
    console.log(`setup: ${round(insertMs)} ms to insert ${IMAGES} images, ${round(annotateMs)} ms for ${allIds.length / 2} annotations; database ${result.setup.databaseMiB} MiB`);
    console.log(`stored 256x256 annotation: class map ${Math.round(blob.c)} B, instance map ${Math.round(blob.i)} B (raw: 65536 B + 262144 B)`);

    const out = path.join(root, '.bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'store-paging.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(root, path.join(out, 'store-paging.json'))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
