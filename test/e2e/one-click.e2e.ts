import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunDetail } from '../../src-shared/contract/records';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';
import { writeSyntheticCells, type SyntheticCells } from './synthetic-cells';

/**
 * A biologist's first minutes in a fresh workspace: import a folder of images with masks (no data set
 * made by hand, no split assigned) and train with one click; the split the Train view shows is the one
 * the run records.
 */

let app: ServedApp;
let browser: Browser;
let page: Page;
let cells: SyntheticCells;
const pageErrors: string[] = [];

beforeAll(async () => {
  cells = writeSyntheticCells({ count: 6, size: 96, seed: 4242 });
  app = await startServedApp({ extraArgs: ['--allow-root', cells.root] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.url);
  await page.waitForFunction(() => typeof window.unet === 'object', null, { timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('one click really is one click', () => {
  it('imports a folder into an empty workspace as a data set named after it', async () => {
    await page.getByTestId('nav-library').click();
    await expect.poll(() => page.getByTestId('library-welcome').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('import-path').fill(cells.root);
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('Imported 6');
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
    const datasets = await page.evaluate(() => window.unet.datasets.list());
    expect(datasets).toMatchObject([{ name: path.basename(cells.root), imageCount: 6, annotatedCount: 6, splitCounts: { train: 0, validation: 0, test: 0, none: 6 } }]);
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(6);
    expect(await page.getByTestId('import-go-train').count()).toBe(1);
  });

  it('shows the automatic split before the click, and the run trains on it', async () => {
    await page.getByTestId('nav-train').click();
    const plan = page.getByTestId('train-split-plan');
    await expect.poll(() => plan.getAttribute('data-mode'), { timeout: 20_000 }).toBe('automatic');
    expect([await plan.getAttribute('data-train'), await plan.getAttribute('data-validation')]).toEqual(['5', '1']);
    expect(await page.getByTestId('train-split-message').textContent()).toContain('5 train, 1 validate');
    await page.getByTestId('train-preset').selectOption('tiny');
    await page.getByTestId('train-steps').fill('6');
    await page.getByTestId('train-validate-every').fill('3');
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    const shown = await page.evaluate(async () => {
      const [dataset] = await window.unet.datasets.list();
      return window.unet.training.planSplit({ datasetId: dataset.id, seed: 1 });
    });
    expect(await plan.textContent()).toContain(shown.validation[0].name);
    await screenshot(page, 'one-click-train-before');

    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 30_000 }).toMatch(/queued|running|succeeded/);
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('succeeded');
    const run: RunDetail = await page.evaluate(async () => {
      const [summary] = await window.unet.runs.list({});
      return window.unet.runs.get({ id: summary.id });
    });
    expect(run.config.split).toEqual({ automatic: true, seed: 1, validationFraction: 0.2, train: 5, validation: 1 });
    expect(run.images.filter((m) => m.split === 'validation').map((m) => m.imageId)).toEqual(shown.validation.map((i) => i.imageId));
    expect(run.images.filter((m) => m.split === 'train').map((m) => m.imageId).sort((a, b) => a - b)).toEqual(shown.train.map((i) => i.imageId).sort((a, b) => a - b));
    // Nothing was assigned in the Library: the split belongs to the run.
    expect((await page.evaluate(() => window.unet.datasets.list()))[0].splitCounts.none).toBe(6);
    await screenshot(page, 'one-click-train-after');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
