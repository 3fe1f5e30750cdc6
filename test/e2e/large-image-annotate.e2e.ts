import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitView, zoomTo, type View } from '../../src-renderer/src/lib/viewer/viewport';
import { buildPyramidTiff16, buildTiledTiff16, halveLevel } from '../helpers/tiled-tiff';
import { blobMosaic } from './blob-images';
import { launchChromium, openAppPage, screenshot, startServedApp, type ServedApp } from './harness';

/**
 * A stitched mosaic as labs annotate them: one 8192² 16-bit tiled TIFF (a blob image tiled 32 x 32,
 * each copy 16 grey levels brighter than the one before, so a value tells its tile). Strokes at Fit
 * and at 1:1 must be saved and come back after a reload, the cursor readout must name the pixel
 * under the pointer, and undo/redo must work, all in Chromium against browser mode.
 */
const TILE = 256;
const ACROSS = 32;
const SIZE = TILE * ACROSS;
const LOAD_TIMEOUT = 300_000;

let app: ServedApp;
let browser: Browser;
let page: Page;
let folder: string;
let mosaic: ReturnType<typeof blobMosaic>;
const pageErrors: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'unet-e2e-mosaic-'));
  mosaic = blobMosaic(TILE, ACROSS, ACROSS, 14, 7);
  mkdirSync(path.join(folder, 'images'));
  writeFileSync(path.join(folder, 'images', 'mosaic-8192.tif'), buildTiledTiff16([{ width: SIZE, height: SIZE, data: mosaic.image }]));
  // A pyramidal OME-TIFF: 4096² with its halved levels stored as SubIFDs.
  const full = { width: 4096, height: 4096, data: mosaic.image.slice(0, 4096 * 8192).filter((_, i) => i % 8192 < 4096) };
  const levels = [full];
  while (levels.length < 4) levels.push(halveLevel(levels[levels.length - 1]));
  mkdirSync(path.join(folder, 'pyramid'));
  writeFileSync(path.join(folder, 'pyramid', 'pyramid-4096.ome.tif'), buildPyramidTiff16([levels], { levelsAs: 'subifds' }));
  app = await startServedApp({ extraArgs: ['--allow-root', folder] });
  browser = await launchChromium();
  page = await openAppPage(browser, pageErrors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function canvasBox(): Promise<{ x: number; y: number; width: number; height: number }> {
  return (await page.getByTestId('annotate-canvas').boundingBox())!;
}

/** Where image point (x, y) is on the page for a view of the canvas. */
function pageOf(box: { x: number; y: number }, view: View, x: number, y: number): { x: number; y: number } {
  return { x: box.x + view.tx + x * view.scale, y: box.y + view.ty + y * view.scale };
}

async function openMosaic(): Promise<void> {
  await page.getByTestId('nav-library').click();
  await page.getByTestId('image-tile').first().dblclick();
  await expect.poll(() => page.getByTestId('nav-annotate').getAttribute('aria-current'), { timeout: 30_000 }).toBe('page');
  await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready', { timeout: LOAD_TIMEOUT }), { timeout: LOAD_TIMEOUT }).toBe('true');
}

/**
 * Moves the pointer to a page position and reads the status bar; also returns the image pixel that
 * position is in by the view's own geometry, from the position the browser reported for the event.
 */
async function readoutAt(at: { x: number; y: number }, view: View): Promise<{ shown: { x: number; y: number; value: number; label: string }; expected: { x: number; y: number } }> {
  await page.mouse.move(at.x, at.y);
  const event = await page.evaluate(() => (window as unknown as { __lastMove: { x: number; y: number } }).__lastMove);
  const box = await canvasBox();
  const expected = { x: Math.floor((event.x - box.x - view.tx) / view.scale), y: Math.floor((event.y - box.y - view.ty) / view.scale) };
  let text = '';
  await expect
    .poll(async () => (text = (await page.getByTestId('annotate-status').textContent()) ?? ''), { timeout: 30_000 })
    .toContain(`x ${expected.x} · y ${expected.y}`);
  const m = /x (\d+) · y (\d+)\s*value (\d+)\s*(.*?)\s*\d+%$/.exec(text.trim())!;
  return { shown: { x: Number(m[1]), y: Number(m[2]), value: Number(m[3]), label: m[4] }, expected };
}

function generatedValue(x: number, y: number): number {
  return mosaic.image[y * SIZE + x];
}

/** Class and instance of the saved annotation at image points (read through the API, tile by tile). */
async function savedAt(points: [number, number][]): Promise<[number, number][]> {
  return page.evaluate(async (pts) => {
    const api = window.unet;
    const datasets = await api.datasets.list();
    const images = await api.images.list({ datasetId: datasets[0].id });
    const a = await api.annotations.tiles({ imageId: images.items[0].id });
    return pts.map(([x, y]) => {
      const tile = a.tiles.find((t) => t.tx === Math.floor(x / a.tileSize) && t.ty === Math.floor(y / a.tileSize));
      if (!tile) return [0, 0] as [number, number];
      if (tile.classMap.length === 1) return [tile.classMap[0], tile.instanceMap[0]] as [number, number];
      const w = Math.min(a.tileSize, a.width - tile.tx * a.tileSize);
      const i = (y % a.tileSize) * w + (x % a.tileSize);
      return [tile.classMap[i], tile.instanceMap[i]] as [number, number];
    });
  }, points);
}

async function waitSaved(): Promise<void> {
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-status'), { timeout: 120_000 }).toBe('saved');
}

async function stroke(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 11 });
  await page.mouse.up();
}

describe('an 8192² tiled TIFF in the Annotate view (Chromium, browser mode)', () => {
  let fit: View;
  let actual: View;

  it('imports the mosaic and opens it at Fit', async () => {
    await page.goto(app.url);
    await page.getByTestId('dataset-create-name').fill('Mosaic');
    await page.getByTestId('dataset-create').click();
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
    await page.getByTestId('import-path').fill(path.join(folder, 'images'));
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: LOAD_TIMEOUT }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('image-tile').first().textContent()).toContain('8192×8192 · 16-bit');
    await openMosaic();
    await page.evaluate(() => {
      window.addEventListener('pointermove', (e) => ((window as unknown as { __lastMove: unknown }).__lastMove = { x: e.clientX, y: e.clientY }), { capture: true });
    });
    const box = await canvasBox();
    fit = fitView(SIZE, SIZE, box.width, box.height);
    expect(fit.scale).toBeLessThan(0.15);
    expect(await page.getByTestId('zoom-level').textContent()).toBe(`${Math.round(fit.scale * 100)}%`);
  });

  it('reads out the pixel under the pointer at Fit, anywhere on the image', async () => {
    const box = await canvasBox();
    for (const [x, y] of [
      [3, 5],
      [4100, 4000],
      [8190, 8185],
      [1234, 7000],
    ]) {
      const { shown, expected } = await readoutAt(pageOf(box, fit, x + 0.5, y + 0.5), fit);
      expect(shown.x).toBe(expected.x);
      expect(shown.y).toBe(expected.y);
      expect(Math.abs(shown.x - x)).toBeLessThanOrEqual(Math.ceil(1 / fit.scale));
      expect(Math.abs(shown.y - y)).toBeLessThanOrEqual(Math.ceil(1 / fit.scale));
      expect(shown.value).toBe(generatedValue(shown.x, shown.y));
      expect(shown.label).toBe('unlabeled');
    }
  });

  it('saves a stroke painted at Fit', async () => {
    await page.getByTestId('tool-brush').click();
    await page.locator('[data-testid="class-option"][data-class-value="2"]').click();
    await page.getByTestId('brush-size').fill('48');
    await page.getByTestId('brush-size').press('Enter');
    const box = await canvasBox();
    await stroke(pageOf(box, fit, 1000, 2000), pageOf(box, fit, 3000, 2000));
    await expect.poll(() => page.getByTestId('save-state').getAttribute('data-status')).not.toBe('clean');
    await waitSaved();
    const [a, b, c, d] = await savedAt([
      [1010, 2000],
      [2000, 2000],
      [2990, 2000],
      [2000, 2040],
    ]);
    expect(a[0]).toBe(2);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a[1]).toBeGreaterThan(0);
    expect(d).toEqual([0, 0]);
    await expect.poll(async () => (await readoutAt(pageOf(box, fit, 2000.5, 2000.5), fit)).shown.label).toMatch(/^cell · object \d+$/);
  });

  it('at 1:1 reads out exactly, saves a stroke, and undoes and redoes it', async () => {
    await page.getByTestId('zoom-actual').click();
    const box = await canvasBox();
    actual = zoomTo(fit, 1, box.width / 2, box.height / 2);
    await expect.poll(() => page.getByTestId('zoom-level').textContent()).toBe('100%');
    const centre = { x: Math.floor((box.width / 2 - actual.tx) / actual.scale), y: Math.floor((box.height / 2 - actual.ty) / actual.scale) };
    for (const [dx, dy] of [
      [0, 0],
      [-300, -200],
      [250, 180],
    ]) {
      const x = centre.x + dx;
      const y = centre.y + dy;
      const { shown } = await readoutAt(pageOf(box, actual, x + 0.5, y + 0.5), actual);
      expect([shown.x, shown.y]).toEqual([x, y]);
      expect(shown.value).toBe(generatedValue(x, y));
    }
    const y = centre.y + 100;
    await stroke(pageOf(box, actual, centre.x - 200.5, y + 0.5), pageOf(box, actual, centre.x + 200.5, y + 0.5));
    await waitSaved();
    const painted: [number, number][] = [
      [centre.x - 150, y],
      [centre.x + 150, y + 20],
    ];
    const [p, q] = await savedAt(painted);
    expect(p[0]).toBe(2);
    expect(q).toEqual(p);
    expect((await readoutAt(pageOf(box, actual, centre.x + 0.5, y + 0.5), actual)).shown.label).toMatch(/^cell/);

    await page.keyboard.press('Control+z');
    await waitSaved();
    expect(await savedAt(painted)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect((await readoutAt(pageOf(box, actual, centre.x + 1.5, y + 0.5), actual)).shown.label).toBe('unlabeled');
    await page.keyboard.press('Control+Shift+z');
    await waitSaved();
    expect(await savedAt(painted)).toEqual([p, q]);
    await screenshot(page, 'mosaic-8192-actual-size');
  });

  it('shows both strokes after a reload', async () => {
    await page.reload();
    await openMosaic();
    await page.evaluate(() => {
      window.addEventListener('pointermove', (e) => ((window as unknown as { __lastMove: unknown }).__lastMove = { x: e.clientX, y: e.clientY }), { capture: true });
    });
    const box = await canvasBox();
    const centre = { x: Math.floor((box.width / 2 - actual.tx) / actual.scale), y: Math.floor((box.height / 2 - actual.ty) / actual.scale) };
    expect((await readoutAt(pageOf(box, fit, 2000.5, 2000.5), fit)).shown.label).toMatch(/^cell · object \d+$/);
    expect((await readoutAt(pageOf(box, fit, centre.x + 0.5, centre.y + 100.5), fit)).shown.label).toMatch(/^cell · object \d+$/);
    expect(await page.locator('.banner').count()).toBe(0);
  });

  it('shows the weight map of the mosaic and reads out w(x) under the pointer', async () => {
    const canvas = page.getByTestId('annotate-canvas');
    await page.getByTestId('weightmap-toggle').check();
    await expect.poll(() => canvas.getAttribute('data-weightmap-shown'), { timeout: LOAD_TIMEOUT }).not.toBeNull();
    await expect.poll(() => page.getByTestId('weightmap-timing').textContent(), { timeout: 60_000 }).toMatch(/computed in \d+ ms/);
    const box = await canvasBox();
    const before = Number(await canvas.getAttribute('data-weightmap-shown'));
    await stroke(pageOf(box, fit, 5000, 6000), pageOf(box, fit, 5600, 6000));
    await waitSaved();
    await expect.poll(async () => Number(await canvas.getAttribute('data-weightmap-shown')), { timeout: 60_000 }).toBeGreaterThan(before);
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.mouse.move(...(Object.values(pageOf(box, fit, 5300.5, 6000.5)) as [number, number]));
    await expect.poll(() => page.getByTestId('annotate-status').textContent(), { timeout: 30_000 }).toMatch(/cell · object \d+\s*w\(x\) \d+\.\d\d/);
    await screenshot(page, 'mosaic-8192-fit');
    await page.getByTestId('weightmap-toggle').uncheck();
  });

  it('shows a pyramidal OME-TIFF from its stored level while the full frame loads', async () => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('import-path').fill(path.join(folder, 'pyramid'));
    await page.getByTestId('import-submit').click();
    const tile = page.getByTestId('image-tile').filter({ hasText: 'pyramid-4096' });
    await expect.poll(() => tile.count(), { timeout: LOAD_TIMEOUT }).toBe(1);
    expect(await tile.textContent()).toContain('4096×4096 · 16-bit');
    await expect.poll(() => tile.locator('img').count(), { timeout: 60_000 }).toBe(1);
    // Whether the canvas ever showed the stored level before it was ready.
    await page.evaluate(() => {
      const w = window as unknown as { __overview: boolean };
      w.__overview = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="annotate-canvas"]')?.getAttribute('data-overview') === 'true') w.__overview = true;
      }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-overview'] });
    });
    await tile.dblclick();
    await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready', { timeout: LOAD_TIMEOUT }), { timeout: LOAD_TIMEOUT }).toBe('true');
    expect(await page.evaluate(() => (window as unknown as { __overview: boolean }).__overview)).toBe(true);
    expect(await page.getByTestId('annotate-canvas').getAttribute('data-overview')).toBe('false');
    expect(pageErrors).toEqual([]);
  });
});
