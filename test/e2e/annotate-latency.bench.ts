import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitView } from '../../src-renderer/src/lib/viewer/viewport';
import { blobImage, writePng16 } from './blob-images';
import { launchChromium, repoRoot, startServedApp, type ServedApp } from './harness';

/**
 * Benchmark, not a timed test: how fast painting reaches the screen and how fast the weight map
 * follows a stroke, on 512x512 and 2048x2048 16-bit images with imported instance masks. Prints a
 * table and writes .bench/annotate-latency.json. Real mouse input through Chromium (browser mode).
 * Runs from `npm run bench` (scripts/bench/annotate-latency.ts), not with the end-to-end tests.
 */
const ALL_CASES = [
  { size: 512, cells: 40 },
  { size: 2048, cells: 300 },
  { size: 4096, cells: 1000 },
];
/** UNET_BENCH_SIZES=512,2048,4096 picks the sizes (default 512 and 2048: 4096 takes minutes to load). */
const SIZES = (process.env.UNET_BENCH_SIZES ?? '512,2048').split(',').map(Number);
const CASES = ALL_CASES.filter((c) => SIZES.includes(c.size));
const MOVES = 30;
const WEIGHT_STROKES = 6;

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
  weightMapAfterStrokeMs: Stats;
  weightMapWorkerMs: Stats;
  painted: boolean;
}

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  return { n: s.length, min: round(s[0]), median: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]) };
}

const round = (v: number) => Math.round(v * 10) / 10;

let app: ServedApp;
let browser: Browser;
let page: Page;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'unet-bench-annotate-'));
  for (const c of CASES) {
    const name = `bench-${String(c.size).padStart(4, '0')}.png`;
    const blobs = blobImage(c.size, c.size, c.cells, c.size);
    writePng16(path.join(folder, 'images', name), c.size, c.size, blobs.image);
    writePng16(path.join(folder, 'masks', name), c.size, c.size, blobs.labels);
  }
  // Browser mode reads files only under allowed roots: the generated images live in a temp folder.
  app = await startServedApp({ extraArgs: ['--allow-root', folder] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 880 } });
});

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
  await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: 300_000 }).toBe('succeeded');
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
  await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready'), { timeout: 240_000 }).toBe('true');
  const openMs = Date.now() - t0;
  await page.getByTestId('tool-brush').click();
  await page.locator('[data-testid="class-option"][data-class-value="2"]').click();
  await page.getByTestId('brush-size').fill(String(Math.max(5, size / 64)));
  await page.getByTestId('brush-size').press('Enter');

  // Probes: the handler's own time (capture before, bubble after) and event -> next frame.
  await page.evaluate(() => {
    const probe = { frames: [] as number[], handler: [] as number[], shown: [] as number[], up: 0, start: 0 };
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
  await page.getByTestId('weightmap-toggle').uncheck();
  const probe = await page.evaluate(() => (window as unknown as { __bench: { frames: number[]; handler: number[] } }).__bench);
  return {
    size,
    objects,
    openMs,
    strokeToFrameMs: stats(probe.frames),
    paintHandlerMs: stats(probe.handler),
    weightMapAfterStrokeMs: stats(weightLatency),
    weightMapWorkerMs: stats(workerMs),
    painted,
  };
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
      'weight map after stroke min/median/p95 (ms)': `${r.weightMapAfterStrokeMs.min} / ${r.weightMapAfterStrokeMs.median} / ${r.weightMapAfterStrokeMs.p95}`,
      'worker compute min/median (ms)': `${r.weightMapWorkerMs.min} / ${r.weightMapWorkerMs.median}`,
    }));
    const load = os.loadavg().map((v) => round(v));
    console.table(rows);
    console.log(`load average during the run: ${load.join(', ')} on ${os.cpus().length} CPUs (timings scale with it)`);
    const version = browser.version();
    mkdirSync(path.join(repoRoot, '.bench'), { recursive: true });
    writeFileSync(
      path.join(repoRoot, '.bench', 'annotate-latency.json'),
      JSON.stringify({ date: new Date().toISOString(), browser: `Chromium ${version} (headless, software rendering)`, cpus: os.cpus().length, loadAverage: load, moves: MOVES, weightStrokes: WEIGHT_STROKES, results }, null, 2),
    );
    for (const r of results) {
      expect(r.painted).toBe(true);
      expect(r.strokeToFrameMs.n).toBeGreaterThan(MOVES / 2);
      expect(r.weightMapAfterStrokeMs.n).toBe(WEIGHT_STROKES);
    }
  });
});
