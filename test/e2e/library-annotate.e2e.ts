import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitView } from '../../src-renderer/src/lib/viewer/viewport';
import { blobImage, writePng16 } from './blob-images';
import { launchChromium, openAppPage, screenshot, startServedApp, type ServedApp } from './harness';

const SIZE = 256;
const IMAGES = 6;
/** A second data set large enough that only a window of it may be in the DOM. */
const MANY = 800;

let app: ServedApp;
let browser: Browser;
let page: Page;
let folder: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'unet-e2e-blobs-'));
  for (let k = 0; k < MANY; k++) writePng16(path.join(folder, 'many', `img-${String(k).padStart(4, '0')}.png`), 24, 24, blobImage(24, 24, 2, k).image);
  for (let k = 1; k <= IMAGES; k++) {
    const blobs = blobImage(SIZE, SIZE, 12, k);
    writePng16(path.join(folder, `cells-${String(k).padStart(2, '0')}.png`), SIZE, SIZE, blobs.image);
  }
  // Browser mode reads files only under allowed roots: the generated images live in a temp folder.
  app = await startServedApp({ extraArgs: ['--allow-root', folder] });
  browser = await launchChromium();
  page = await openAppPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Screen position of an image pixel centre while the canvas shows the whole image fitted. */
async function screenOf(x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('annotate-canvas').boundingBox())!;
  const view = fitView(SIZE, SIZE, box.width, box.height);
  return { x: box.x + view.tx + (x + 0.5) * view.scale, y: box.y + view.ty + (y + 0.5) * view.scale };
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  const a = await screenOf(...from);
  const b = await screenOf(...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 12 });
  await page.mouse.up();
}

async function clickAt(x: number, y: number): Promise<void> {
  const p = await screenOf(x, y);
  await page.mouse.click(p.x, p.y);
}

/** Class and instance at pixels of the saved annotation, read back from the workspace. */
async function saved(imageId: number, points: [number, number][]): Promise<{ version: number; values: [number, number][] }> {
  return page.evaluate(
    async ({ imageId, points, size }) => {
      const a = await window.unet.annotations.get({ imageId });
      return { version: a.version, values: points.map(([x, y]) => [a.classMap[y * size + x], a.instanceMap[y * size + x]] as [number, number]) };
    },
    { imageId, points, size: SIZE },
  );
}

async function waitSaved(): Promise<void> {
  await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/saved/);
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-status'), { timeout: 15_000 }).toBe('saved');
}

describe('Library and Annotate in Chromium (browser mode)', () => {
  let imageId = 0;

  it('creates a data set, imports a folder as a job, and shows the thumbnails', async () => {
    await page.goto(app.url);
    // A path typed in the welcome's import panel stays when the new data set opens with a panel of its own.
    await page.getByTestId('library-welcome').getByTestId('import-path').fill(folder);
    await page.getByTestId('dataset-create-name').fill('Blob cells');
    await page.getByTestId('dataset-create').click();
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
    await expect.poll(() => page.getByTestId('library-welcome').count()).toBe(0);
    expect(await page.getByTestId('import-path').inputValue()).toBe(folder);

    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(IMAGES);
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain(`Imported ${IMAGES}`);
    // Thumbnails arrive as images.
    await expect.poll(() => page.locator('[data-testid="image-tile"] img').count(), { timeout: 20_000 }).toBe(IMAGES);
    const caption = await page.getByTestId('image-tile').first().textContent();
    expect(caption).toContain('cells-01.png');
    expect(caption).toContain('256×256 · 16-bit');
  });

  it('assigns a split to several selected images and filters by it', async () => {
    const tiles = page.getByTestId('image-tile');
    await tiles.nth(0).click();
    await tiles.nth(2).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3 selected');
    await page.getByTestId('split-train').click();
    await expect.poll(() => tiles.nth(1).textContent()).toContain('train');
    const datasetId = Number(await page.getByTestId('dataset-item').first().getAttribute('data-dataset-id'));
    const page1 = await page.evaluate((id) => window.unet.images.list({ datasetId: id, split: 'train' }), datasetId);
    expect(page1.items.map((i) => i.name)).toEqual(['cells-01.png', 'cells-02.png', 'cells-03.png']);
    await page.getByTestId('filter-split').selectOption('none');
    await expect.poll(() => tiles.count()).toBe(3);
    await page.getByTestId('filter-split').selectOption('all');
    await expect.poll(() => tiles.count()).toBe(IMAGES);
    await screenshot(page, 'library');
  });

  it('shows a readable error for a path that does not exist', async () => {
    await page.getByTestId('import-path').fill(path.join(folder, 'no-such-folder'));
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('library-error').textContent()).toMatch(/no-such-folder|not found|does not exist/i);
  });

  it('opens an image, paints two touching objects and autosaves them to the workspace', async () => {
    const tile = page.getByTestId('image-tile').first();
    imageId = Number(await tile.getAttribute('data-image-id'));
    await tile.dblclick();
    await expect.poll(() => page.getByTestId('nav-annotate').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.locator('[data-testid="class-option"][data-class-value="2"]').click();
    await page.getByTestId('tool-brush').click();
    await page.getByTestId('brush-size').fill('9');
    await page.getByTestId('brush-size').press('Enter');
    await drag([40, 60], [120, 60]);
    await drag([40, 68], [120, 68]);
    // A third object 3 px below the second: the background gap between them gets the border weight.
    await drag([40, 80], [120, 80]);
    await waitSaved();
    const s = await saved(imageId, [[80, 60], [80, 68], [80, 64], [10, 200]]);
    expect(s.version).toBeGreaterThanOrEqual(1);
    const [a, b, , empty] = s.values;
    expect(a[0]).toBe(2);
    expect(b[0]).toBe(2);
    // Instance mode: the second stroke is its own object even where it touches the first.
    expect(a[1]).toBeGreaterThan(0);
    expect(b[1]).toBeGreaterThan(0);
    expect(a[1]).not.toBe(b[1]);
    expect(empty).toEqual([0, 0]);
  });

  it('undoes and redoes strokes (buttons and keyboard), each saved', async () => {
    await page.getByTestId('undo').click();
    await waitSaved();
    expect((await saved(imageId, [[80, 80]])).values[0]).toEqual([0, 0]);
    await page.getByTestId('redo').click();
    await waitSaved();
    expect((await saved(imageId, [[80, 80]])).values[0][0]).toBe(2);
    await page.getByTestId('annotate-canvas').focus();
    await page.keyboard.press('Control+z');
    await waitSaved();
    expect((await saved(imageId, [[80, 80]])).values[0][0]).toBe(0);
    await page.keyboard.press('Control+Shift+Z');
    await waitSaved();
    expect((await saved(imageId, [[80, 80]])).values[0][0]).toBe(2);
  });

  it('fills a region with background and draws a polygon object', async () => {
    await page.keyboard.press('1');
    await page.keyboard.press('f');
    await clickAt(5, 5);
    await page.keyboard.press('2');
    await page.keyboard.press('p');
    await clickAt(150, 150);
    await clickAt(210, 150);
    await clickAt(210, 210);
    await clickAt(150, 210);
    await page.keyboard.press('Enter');
    await waitSaved();
    const s = await saved(imageId, [[5, 5], [250, 250], [80, 60], [180, 180], [149, 180]]);
    expect(s.values[0]).toEqual([1, 0]);
    expect(s.values[1]).toEqual([1, 0]);
    expect(s.values[2][0]).toBe(2);
    expect(s.values[3][0]).toBe(2);
    expect(s.values[3][1]).toBeGreaterThan(0);
    expect(s.values[4]).toEqual([1, 0]);
  });

  it('shows the weight map with its legend, recomputed when w0 changes', async () => {
    await page.getByTestId('weightmap-toggle').check();
    await expect.poll(() => page.getByTestId('weightmap-legend').count(), { timeout: 15_000 }).toBe(1);
    const canvas = page.getByTestId('annotate-canvas');
    await expect.poll(() => canvas.getAttribute('data-weightmap-shown'), { timeout: 15_000 }).not.toBeNull();
    const before = Number(await canvas.getAttribute('data-weightmap-shown'));
    await page.getByTestId('w0-input').fill('20');
    await page.getByTestId('w0-input').press('Enter');
    await expect.poll(async () => Number(await canvas.getAttribute('data-weightmap-shown')), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('weightmap-timing').textContent()).toMatch(/computed in \d+ ms/);
    // The touching objects make a border term: the top of the legend exceeds the class weights.
    const legend = await page.getByTestId('weightmap-legend').textContent();
    const ticks = (legend ?? '').match(/\d+(\.\d+)?/g)!.map(Number);
    expect(Math.max(...ticks)).toBeGreaterThan(5);
    await page.getByTestId('augment-toggle').check();
    await expect.poll(() => page.getByTestId('augment-sample').count(), { timeout: 15_000 }).toBe(4);
    const gap = await screenOf(80, 74);
    await page.mouse.move(gap.x, gap.y);
    await expect.poll(() => page.getByTestId('annotate-status').textContent()).toMatch(/background.*w\(x\) \d/);
    await screenshot(page, 'annotate-weightmap');
    await page.getByTestId('augment-sample').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'annotate-augment');
  });

  it('adds a class, zooms around the cursor, and maps the contrast window', async () => {
    await page.getByTestId('weightmap-toggle').uncheck();
    await page.getByTestId('class-add-name').fill('nucleus');
    await page.getByTestId('class-add').click();
    await expect.poll(() => page.getByTestId('class-option').count()).toBe(4);
    const classes = await page.evaluate((id) => window.unet.images.get({ id }).then((i) => window.unet.datasets.get({ id: i.datasetId })), imageId);
    expect(classes.classes.map((c) => c.name)).toEqual(['background', 'cell', 'nucleus']);
    await page.locator('[data-testid="class-option"][data-class-value="2"]').click();

    const zoom = page.getByTestId('zoom-level');
    const fitted = await zoom.textContent();
    const centre = await screenOf(128, 128);
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => parseInt((await zoom.textContent()) ?? '0')).toBeGreaterThan(parseInt(fitted ?? '0'));
    await page.keyboard.press('=');
    await expect.poll(() => zoom.textContent()).toBe('100%');
    await page.keyboard.press('0');
    await expect.poll(() => zoom.textContent()).toBe(fitted);

    const probe = await screenOf(240, 240);
    const pixel = () => page.evaluate(({ x, y }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="annotate-canvas"]')!;
      const r = canvas.getBoundingClientRect();
      return [...canvas.getContext('2d')!.getImageData(Math.floor(x - r.left), Math.floor(y - r.top), 1, 1).data].slice(0, 3);
    }, probe);
    const before = await pixel();
    await page.getByTestId('contrast-max').fill('1000');
    await page.getByTestId('contrast-max').press('Tab');
    await expect.poll(async () => (await pixel()).join()).not.toBe(before.join());
    await page.getByTestId('contrast-auto').click();
    await expect.poll(async () => (await pixel()).join()).toBe(before.join());
  });

  it('reloads and says so when the annotation was saved elsewhere meanwhile', async () => {
    await page.keyboard.press('b');
    await drag([200, 20], [240, 20]);
    // Another client saves first, from the version this window started its edit on.
    await page.evaluate(async (id) => {
      const latest = await window.unet.annotations.get({ imageId: id });
      await window.unet.annotations.save({ imageId: id, baseVersion: latest.version, classMap: new Uint8Array(latest.classMap.length).fill(1), instanceMap: new Uint32Array(latest.classMap.length) });
    }, imageId);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/error: conflict/);
    const s = await saved(imageId, [[220, 20], [80, 60]]);
    expect(s.values).toEqual([[1, 0], [1, 0]]);
    // The canvas shows the reloaded version; painting goes on from it.
    await drag([20, 240], [60, 240]);
    await waitSaved();
    expect((await saved(imageId, [[40, 240]])).values[0][0]).toBe(2);
  });

  it('keeps only the visible tiles in the DOM for a large data set', async () => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('dataset-create-name').fill('Many small images');
    await page.getByTestId('dataset-create').click();
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(2);
    await page.getByTestId('import-path').fill(path.join(folder, 'many'));
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('image-count').textContent(), { timeout: 20_000 }).toBe(`${MANY} images`);
    const tiles = page.getByTestId('image-tile');
    await expect.poll(() => tiles.count()).toBeGreaterThan(6);
    expect(await tiles.count()).toBeLessThan(80);
    // Jump to the end: the last images are rendered, the first ones are gone.
    await page.getByTestId('image-grid').evaluate((grid) => (grid.scrollTop = grid.scrollHeight));
    await expect.poll(() => tiles.last().textContent(), { timeout: 20_000 }).toContain(`img-${String(MANY - 1).padStart(4, '0')}.png`);
    expect(await tiles.count()).toBeLessThan(80);
    expect(await page.locator('[data-testid="image-tile"][data-index="0"]').count()).toBe(0);

    // Rename, then delete the data set (its image files stay).
    const item = page.getByTestId('dataset-item').filter({ hasText: 'Many small images' });
    await item.getByTestId('dataset-rename').click();
    await page.getByTestId('dataset-rename-input').fill('Many');
    await page.getByTestId('dataset-rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('dataset-item').allTextContents()).toContainEqual(expect.stringContaining('Many'));
    await page.getByTestId('dataset-delete').click();
    await page.getByTestId('dataset-delete-confirm').click();
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
  });

  it('lists the shortcuts on ? and never showed a page error', async () => {
    await page.getByTestId('nav-annotate').click();
    await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.getByTestId('annotate-canvas').focus();
    await page.keyboard.press('?');
    await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(1);
    expect(await page.getByTestId('help-overlay').textContent()).toContain('Flood fill');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
