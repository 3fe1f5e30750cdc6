import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fitView } from '../../src-renderer/src/lib/viewer/viewport';
import { buildTiledTiff16 } from '../helpers/tiled-tiff';
import { blobImage, blobMosaic } from './blob-images';
import { launchChromium, repoRoot, startServedApp, type ServedApp } from './harness';

/**
 * Benchmark, not a timed test: how fast painting reaches the screen, how soon a stroke is saved, how
 * fast the weight map follows a stroke and how much memory the page holds, on 16-bit tiled TIFFs with
 * imported instance masks (8192²: a 256² blob tile repeated 32 x 32, as stitched mosaics are). Prints
 * a table and writes .bench/annotate-latency.json. Real mouse input through Chromium (browser mode).
 * Runs from `npm run bench` (scripts/bench/annotate-latency.ts), not with the end-to-end tests.
 */
const ALL_CASES = [
  { size: 512, cells: 40 },
  { size: 2048, cells: 300 },
  { size: 4096, cells: 1000 },
  { size: 8192, cells: 14 * 32 * 32 },
];
/** UNET_BENCH_SIZES=512,4096,8192 picks the sizes (default 512 and 2048, quick enough for `npm test`). */
const SIZES = (process.env.UNET_BENCH_SIZES ?? '512,2048').split(',').map(Number);
const CASES = ALL_CASES.filter((c) => SIZES.includes(c.size));
const MOVES = 30;
const WEIGHT_STROKES = 6;
const SAVE_STROKES = 5;

interface Stats {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

interface CaseResult {
  size: number;
  objects: number;
  openMs: number;
  strokeToFrameMs: Stats;
  paintHandlerMs: Stats;
  /** From the end of a stroke to "saved" (includes the autosave's 1 s quiet time). */
  savedAfterStrokeMs: Stats;
  /** The save call alone: "saving" to "saved". */
  saveCallMs: Stats;
  weightMapAfterStrokeMs: Stats;
  weightMapWorkerMs: Stats;
  /** The page's renderer process (resident set, MiB) after the strokes, and the JS heap in use. */
  rendererRssMiB: number;
  jsHeapMiB: number;
  painted: boolean;
}

function stats(values: number[]): Stats {
  if (values.length === 0) return { n: 0, min: NaN, median: NaN, p95: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  return { n: s.length, min: round(s[0]), median: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]) };
}

const round = (v: number) => Math.round(v * 10) / 10;

let app: ServedApp;
let browser: Browser;
let page: Page;
let folder: string;

/** The image and its instance labels: blobs drawn at the size, or for 8192² a mosaic of one 256² tile. */
function benchImage(size: number, cells: number): { image: Uint16Array; labels: Uint16Array } {
  if (size < 8192) return blobImage(size, size, cells, size);
  const across = size / 256;
  const mosaic = blobMosaic(256, across, across, cells / (across * across), size);
  const labels = new Uint16Array(size * size);
  const perTile = mosaic.tile.count;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const id = mosaic.tile.labels[(y % 256) * 256 + (x % 256)];
      if (id !== 0) labels[y * size + x] = id + perTile * (Math.floor(y / 256) * across + Math.floor(x / 256));
    }
  }
  return { image: mosaic.image, labels };
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'unet-bench-annotate-'));
  mkdirSync(path.join(folder, 'images'));
  mkdirSync(path.join(folder, 'masks'));
  for (const c of CASES) {
    const name = `bench-${String(c.size).padStart(4, '0')}.tif`;
    const { image, labels } = benchImage(c.size, c.cells);
    writeFileSync(path.join(folder, 'images', name), buildTiledTiff16([{ width: c.size, height: c.size, data: image }]));
    writeFileSync(path.join(folder, 'masks', name), buildTiledTiff16([{ width: c.size, height: c.size, data: labels }]));
  }
  // Browser mode reads files only under allowed roots: the generated images live in a temp folder.
  app = await startServedApp({ extraArgs: ['--allow-root', folder] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 880 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function importBenchImages(): Promise<void> {
  await page.goto(app.url);
  await page.getByTestId('dataset-create-name').fill('Latency bench');
  await page.getByTestId('dataset-create').click();
  await page.getByTestId('import-path').fill(path.join(folder, 'images'));
  await page.getByTestId('import-submit').click();
  await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: 600_000 }).toBe('succeeded');
  await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(CASES.length);
}

/** Screen position of image pixel (x, y) with the image fitted to the canvas. */
async function screenOf(size: number, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('annotate-canvas').boundingBox())!;
  const view = fitView(size, size, box.width, box.height);
  return { x: box.x + view.tx + (x + 0.5) * view.scale, y: box.y + view.ty + (y + 0.5) * view.scale };
}

async function measureCase(size: number, objects: number): Promise<CaseResult> {
  await page.getByTestId('nav-library').click();
  const tile = page.getByTestId('image-tile').filter({ hasText: `bench-${String(size).padStart(4, '0')}` });
  const t0 = Date.now();
  await tile.dblclick();
  await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready', { timeout: 300_000 }), { timeout: 300_000 }).toBe('true');
  const openMs = Date.now() - t0;
  await page.getByTestId('tool-brush').click();
  await page.locator('[data-testid="class-option"][data-class-value="2"]').click();
  await page.getByTestId('brush-size').fill(String(Math.max(5, size / 64)));
  await page.getByTestId('brush-size').press('Enter');

  // Probes: the handler's own time (capture before, bubble after) and event -> next frame.
  await page.evaluate(() => {
    const probe = { frames: [] as number[], handler: [] as number[], shown: [] as number[], up: 0, start: 0, saving: [] as number[], saved: [] as number[] };
    (window as unknown as { __bench: typeof probe }).__bench = probe;
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="annotate-canvas"]')!;
    window.addEventListener('pointermove', (e) => e.buttons === 1 && (probe.start = performance.now()), { capture: true });
    window.addEventListener('pointermove', (e) => {
      if (e.buttons !== 1) return;
      probe.handler.push(performance.now() - probe.start);
      const stamp = e.timeStamp;
      requestAnimationFrame(() => probe.frames.push(performance.now() - stamp));
    });
    window.addEventListener('pointerup', () => (probe.up = performance.now()));
    new MutationObserver(() => probe.shown.push(performance.now())).observe(canvas, { attributes: true, attributeFilter: ['data-weightmap-shown'] });
    const save = document.querySelector<HTMLElement>('[data-testid="save-state"]')!;
    new MutationObserver(() => {
      if (save.dataset.status === 'saving') probe.saving.push(performance.now());
      if (save.dataset.status === 'saved') probe.saved.push(performance.now());
    }).observe(save, { attributes: true, attributeFilter: ['data-status'] });
  });

  // Stroke across an empty band near the top, one mouse move per step.
  const y = Math.round(size * 0.03);
  const from = await screenOf(size, Math.round(size * 0.1), y);
  const to = await screenOf(size, Math.round(size * 0.9), y);
  const before = await pixelAt(to);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let k = 1; k <= MOVES; k++) await page.mouse.move(from.x + ((to.x - from.x) * k) / MOVES, from.y);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const after = await pixelAt(to);
  await page.mouse.up();
  const painted = before.join() !== after.join();

  // Time to "saved" after short strokes, each left to save before the next.
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-status'), { timeout: 120_000 }).toBe('saved');
  const savedAfter: number[] = [];
  const saveCall: number[] = [];
  for (let k = 0; k < SAVE_STROKES; k++) {
    const count = await page.evaluate(() => (window as unknown as { __bench: { saved: number[] } }).__bench.saved.length);
    const a = await screenOf(size, Math.round(size * (0.12 + 0.1 * k)), Math.round(size * 0.3));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(a.x + 40, a.y + 10, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __bench: { saved: number[] } }).__bench.saved.length), { timeout: 120_000 }).toBeGreaterThan(count);
    const p = await page.evaluate(() => (window as unknown as { __bench: { saved: number[]; saving: number[]; up: number } }).__bench);
    savedAfter.push(p.saved[count] - p.up);
    const started = p.saving.filter((t) => t > p.up)[0];
    if (started !== undefined) saveCall.push(p.saved[count] - started);
  }

  // Weight map after short strokes in different places.
  await page.getByTestId('weightmap-toggle').check();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __bench: { shown: number[] } }).__bench.shown.length), { timeout: 120_000 }).toBeGreaterThan(0);
  const weightLatency: number[] = [];
  const workerMs: number[] = [];
  for (let k = 0; k < WEIGHT_STROKES; k++) {
    const count = await page.evaluate(() => (window as unknown as { __bench: { shown: number[] } }).__bench.shown.length);
    const a = await screenOf(size, Math.round(size * (0.15 + 0.08 * k)), Math.round(size * 0.5));
    const b = await screenOf(size, Math.round(size * (0.15 + 0.08 * k)), Math.round(size * 0.56));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __bench: { shown: number[] } }).__bench.shown.length), { timeout: 120_000 }).toBeGreaterThan(count);
    const probe = await page.evaluate(() => (window as unknown as { __bench: { shown: number[]; up: number } }).__bench);
    weightLatency.push(probe.shown[count] - probe.up);
    const timing = (await page.getByTestId('weightmap-timing').textContent()) ?? '';
    const computed = /computed in (\d+) ms/.exec(timing);
    if (computed) workerMs.push(Number(computed[1]));
  }
  const memory = await rendererMemory();
  await page.getByTestId('weightmap-toggle').uncheck();
  const probe = await page.evaluate(() => (window as unknown as { __bench: { frames: number[]; handler: number[] } }).__bench);
  return {
    size,
    objects,
    openMs,
    strokeToFrameMs: stats(probe.frames),
    paintHandlerMs: stats(probe.handler),
    savedAfterStrokeMs: stats(savedAfter),
    saveCallMs: stats(saveCall),
    weightMapAfterStrokeMs: stats(weightLatency),
    weightMapWorkerMs: stats(workerMs),
    ...memory,
    painted,
  };
}

/** Resident memory of the page's renderer process (Linux /proc) and the JS heap in use (CDP). */
async function rendererMemory(): Promise<{ rendererRssMiB: number; jsHeapMiB: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  await cdp.detach();
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  let rss = 0;
  try {
    // The renderer processes are the ones started with --type=renderer; the page's is the largest.
    const ps = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
    for (const line of ps.split('\n')) if (line.includes('--type=renderer')) rss = Math.max(rss, Number(line.trim().split(/\s+/)[0]) * 1024);
  } catch {
    rss = NaN;
  }
  return { rendererRssMiB: Math.round(rss / 2 ** 20), jsHeapMiB: Math.round(heap / 2 ** 20) };
}

async function pixelAt(p: { x: number; y: number }): Promise<number[]> {
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="annotate-canvas"]')!;
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    return [...canvas.getContext('2d')!.getImageData(Math.floor((x - r.left) * k), Math.floor((y - r.top) * k), 1, 1).data];
  }, p);
}

describe('annotate latency benchmark', () => {
  it(`measures stroke-to-screen and weight-map refresh at ${SIZES.join(', ')} px`, async () => {
    await importBenchImages();
    const results: CaseResult[] = [];
    for (const c of CASES) results.push(await measureCase(c.size, c.cells));

    const rows = results.map((r) => ({
      image: `${r.size}x${r.size} 16-bit, ${r.objects} objects`,
      'open (ms)': r.openMs,
      'stroke->frame median/p95 (ms)': `${r.strokeToFrameMs.median} / ${r.strokeToFrameMs.p95}`,
      'paint handler median/p95 (ms)': `${r.paintHandlerMs.median} / ${r.paintHandlerMs.p95}`,
      'saved after stroke median/p95 (ms)': `${r.savedAfterStrokeMs.median} / ${r.savedAfterStrokeMs.p95}`,
      'save call median/p95 (ms)': `${r.saveCallMs.median} / ${r.saveCallMs.p95}`,
      'weight map after stroke median/p95 (ms)': `${r.weightMapAfterStrokeMs.median} / ${r.weightMapAfterStrokeMs.p95}`,
      'worker compute median (ms)': r.weightMapWorkerMs.median,
      'renderer RSS / JS heap (MiB)': `${r.rendererRssMiB} / ${r.jsHeapMiB}`,
    }));
    const load = os.loadavg().map((v) => round(v));
    console.table(rows);
    console.log(`load average during the run: ${load.join(', ')} on ${os.cpus().length} CPUs (timings scale with it)`);
    const version = browser.version();
    mkdirSync(path.join(repoRoot, '.bench'), { recursive: true });
    writeFileSync(
      path.join(repoRoot, '.bench', 'annotate-latency.json'),
      JSON.stringify({ date: new Date().toISOString(), browser: `Chromium ${version} (headless, software rendering)`, cpus: os.cpus().length, loadAverage: load, moves: MOVES, weightStrokes: WEIGHT_STROKES, saveStrokes: SAVE_STROKES, results }, null, 2),
    );
    for (const r of results) {
      expect(r.painted).toBe(true);
      expect(r.strokeToFrameMs.n).toBeGreaterThan(MOVES / 2);
      expect(r.weightMapAfterStrokeMs.n).toBe(WEIGHT_STROKES);
      expect(r.savedAfterStrokeMs.n).toBe(SAVE_STROKES);
    }
  });
});
