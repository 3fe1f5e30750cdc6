import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';
import { writeSyntheticCells, type Disc, type SyntheticCells } from './synthetic-cells';

/**
 * The newcomer's whole loop through the UI only: import a folder of unlabelled images, paint cells and
 * background on some of them, look at the loss weight map, train the tiny preset, segment the
 * validation image and read its IoU.
 */

const SIZE = 96;
let app: ServedApp;
let browser: Browser;
let page: Page;
let cells: SyntheticCells;
const pageErrors: string[] = [];

beforeAll(async () => {
  cells = writeSyntheticCells({ count: 4, size: SIZE, seed: 777, masks: false });
  app = await startServedApp({ extraArgs: ['--allow-root', cells.root] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

type Box = { x: number; y: number; width: number; height: number };

/** Screen position of an image pixel on the annotation canvas while the view is fitted (16 px margin, centred). */
function toScreen(box: Box, x: number, y: number): { x: number; y: number } {
  const scale = Math.min((box.width - 32) / SIZE, (box.height - 32) / SIZE);
  return { x: box.x + (box.width - SIZE * scale) / 2 + x * scale, y: box.y + (box.height - SIZE * scale) / 2 + y * scale };
}

async function stroke(box: Box, points: { x: number; y: number }[]): Promise<void> {
  const first = toScreen(box, points[0].x, points[0].y);
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const p of points.slice(1)) {
    const s = toScreen(box, p.x, p.y);
    await page.mouse.move(s.x, s.y, { steps: 4 });
  }
  await page.mouse.up();
}

/** Background points: on a grid, at least 5 px away from every cell. */
function backgroundPoints(discs: Disc[]): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = [];
  for (let y = 8; y < SIZE; y += 16) {
    for (let x = 8; x < SIZE; x += 16) {
      if (discs.every((d) => Math.hypot(x - d.x, y - d.y) > d.r + 5)) points.push({ x, y });
    }
  }
  return points;
}

/** Opens the image from the Library and paints every cell (class 2) and some background (class 1). */
async function paintImage(index: number): Promise<void> {
  await page.getByTestId('nav-library').click();
  await page.getByTestId('image-tile').nth(index).dblclick();
  await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
  await page.getByTestId('tool-brush').click();
  await page.getByTestId('brush-size').fill('3');
  await page.getByTestId('brush-size').dispatchEvent('change');
  await page.locator('[data-testid="class-option"][data-class-value="2"]').click();
  const box = (await page.getByTestId('annotate-canvas').boundingBox())!;
  for (const d of cells.images[index].discs) {
    const r = d.r * 0.6;
    await stroke(box, [
      { x: d.x - r, y: d.y },
      { x: d.x + r, y: d.y },
      { x: d.x, y: d.y - r },
      { x: d.x, y: d.y + r },
    ]);
  }
  await page.locator('[data-testid="class-option"][data-class-value="1"]').click();
  for (const p of backgroundPoints(cells.images[index].discs)) await stroke(box, [p, { x: p.x + 4, y: p.y }]);
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
}

describe("a newcomer's loop in the UI", () => {
  it('imports a folder of images into a new data set and splits it', async () => {
    await page.getByTestId('dataset-create-name').fill('My first cells');
    await page.getByTestId('dataset-create').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('import-path').fill(cells.root);
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('Imported 4');
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(4);
    await page.getByTestId('select-all').click();
    await page.getByTestId('split-train').click();
    await page.getByTestId('image-tile').nth(3).click();
    await page.getByTestId('split-validation').click();
    await expect.poll(() => page.evaluate(async () => (await window.unet.datasets.list())[0].splitCounts)).toMatchObject({ train: 3, validation: 1 });
  });

  it('paints cells and background and previews the weight map', async () => {
    await paintImage(0);
    await page.getByTestId('weightmap-toggle').check();
    await expect.poll(() => page.getByTestId('weightmap-timing').count(), { timeout: 20_000 }).toBe(1);
    await screenshot(page, 'full-loop-annotate');
    await page.getByTestId('weightmap-toggle').uncheck();
    await paintImage(1);
    await paintImage(3);
  });

  it('trains the tiny preset from the Train view', async () => {
    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.getByTestId('train-split-message').textContent(), { timeout: 20_000 }).toContain('2 of 3 training image(s) annotated');
    await page.getByTestId('train-preset').selectOption('tiny');
    await page.getByTestId('train-steps').fill('40');
    await page.getByTestId('train-validate-every').fill('20');
    // Ticked, the run calibrates its post-processing for V_rand (objects that tile the image).
    await page.getByTestId('train-objects-tile').check();
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('succeeded');
    expect(Number(await page.getByTestId('train-chart-iou').getAttribute('data-points'))).toBeGreaterThan(0);
    const db = new Database(path.join(app.workspace, 'workspace.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT config FROM runs ORDER BY id DESC LIMIT 1').get() as { config: string };
      expect(JSON.parse(row.config).calibrationMetric).toBe('vRand');
    } finally {
      db.close();
    }
  });

  it('segments the validation image and reads its IoU', async () => {
    await page.getByTestId('train-open-results').click();
    await expect.poll(() => page.getByTestId('segment-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('segment-start').click();
    await expect.poll(() => page.getByTestId('segment-progress').getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('metric-mean-iou').count(), { timeout: 20_000 }).toBe(1);
    const iou = Number(await page.getByTestId('metric-mean-iou').textContent());
    expect(iou).toBeGreaterThanOrEqual(0);
    expect(iou).toBeLessThanOrEqual(1);
    await page.evaluate(() => document.querySelector('[data-testid="metrics-table"]')?.closest('section')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'full-loop-results');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
