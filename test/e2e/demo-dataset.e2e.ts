import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunDetail } from '../../src-shared/contract/records';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';

/**
 * The demo from the app, for a user who never opens a terminal: the empty Library's "Open the demo
 * data set" imports the bundled images and masks with their splits through the import job, and Train
 * is then ready to run.
 */

let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // An allowed root with nothing in it: the demo is the app's own data, readable without one.
  const nothing = mkdtempSync(path.join(os.tmpdir(), 'unet-e2e-empty-root-'));
  app = await startServedApp({ extraArgs: ['--allow-root', nothing] });
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

describe('the demo data set from the app', () => {
  it('imports the bundled images with their masks and splits, showing the import job', async () => {
    await page.getByTestId('nav-library').click();
    await screenshot(page, 'library-empty');
    await page.getByTestId('library-open-demo').click();
    await expect.poll(() => page.getByTestId('import-progress').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('Imported 12');
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(12);
    const [dataset] = await page.evaluate(() => window.unet.datasets.list());
    expect(dataset).toMatchObject({ name: 'Demo: DSB 2018 nuclei', imageCount: 12, annotatedCount: 12, splitCounts: { train: 6, validation: 2, test: 4, none: 0 } });
    await screenshot(page, 'library-demo');
  });

  it('shows the fast preset ready to run, and a tiny run starts from Train', async () => {
    await page.getByTestId('nav-train').click();
    const plan = page.getByTestId('train-split-plan');
    await expect.poll(() => plan.getAttribute('data-mode'), { timeout: 20_000 }).toBe('manual');
    expect([await plan.getAttribute('data-train'), await plan.getAttribute('data-validation')]).toEqual(['6', '2']);
    expect(await page.getByTestId('train-preset').inputValue()).toBe('fast');
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'train-demo-ready');

    await page.getByTestId('train-preset').selectOption('tiny');
    await page.getByTestId('train-steps').fill('4');
    await page.getByTestId('train-validate-every').fill('2');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('succeeded');
    const run: RunDetail = await page.evaluate(async () => {
      const [summary] = await window.unet.runs.list({});
      return window.unet.runs.get({ id: summary.id });
    });
    expect(run.config).toMatchObject({ preset: 'tiny', steps: 4, split: { automatic: false, train: 6, validation: 2 } });
    // The held-out test images are not part of the run.
    expect(run.images).toHaveLength(8);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
