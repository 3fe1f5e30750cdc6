import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';
import { writeSyntheticCells, type SyntheticCells } from './synthetic-cells';

/**
 * The desktop app's ways in: a drop on the Library and the "Choose folders…" dialog. The page gets
 * the same `window.unetDesktop` the Electron preload exposes, answered here with known folders, so
 * the Library's handling of picked and dropped paths runs in Chromium against the real server.
 */

let app: ServedApp;
let browser: Browser;
let page: Page;
let first: SyntheticCells;
let second: SyntheticCells;
const pageErrors: string[] = [];

beforeAll(async () => {
  first = writeSyntheticCells({ count: 4, size: 64, seed: 11 });
  second = writeSyntheticCells({ count: 3, size: 64, seed: 12 });
  app = await startServedApp({ extraArgs: ['--allow-root', first.root, '--allow-root', second.root] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // A dropped File named "first" has the first folder's path; the dialog answers with the second folder.
  await page.addInitScript(
    ({ firstRoot, secondRoot }) => {
      const picked: string[] = [];
      (window as unknown as { pickedKinds: string[] }).pickedKinds = picked;
      window.unetDesktop = {
        async pickPaths(options) {
          picked.push(options.kind);
          return [secondRoot];
        },
        pathForFile(file) {
          return (file as File).name === 'first' ? firstRoot : '';
        },
      };
    },
    { firstRoot: first.root, secondRoot: second.root },
  );
  await page.goto(app.url);
  await page.waitForFunction(() => typeof window.unet === 'object', null, { timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Drops Files with these names on the Library, as the file manager would. */
async function dropFiles(names: string[]): Promise<void> {
  await page.evaluate((fileNames) => {
    const transfer = new DataTransfer();
    for (const name of fileNames) transfer.items.add(new File([''], name));
    const zone = document.querySelector('[data-testid="library-drop"]')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, names);
}

describe('desktop import: drop and the folder dialog', () => {
  it('turns a folder dropped on an empty workspace into a data set named after it', async () => {
    await page.getByTestId('nav-library').click();
    await expect.poll(() => page.getByTestId('library-welcome').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('import-choose-folders').count()).toBe(1);
    await dropFiles(['first']);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('Imported 4');
    const datasets = await page.evaluate(() => window.unet.datasets.list());
    expect(datasets).toMatchObject([{ name: path.basename(first.root), imageCount: 4, annotatedCount: 4 }]);
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(4);
  });

  it('says why a drop without local paths imports nothing, and imports nothing', async () => {
    await dropFiles(['no-path']);
    await expect.poll(() => page.getByTestId('drop-message').textContent()).toContain('no local path');
    const [dataset] = await page.evaluate(() => window.unet.datasets.list());
    expect(dataset.imageCount).toBe(4);
  });

  it('imports the folders chosen in the dialog into the open data set', async () => {
    await page.getByTestId('import-choose-folders').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('Imported 3');
    expect(await page.evaluate(() => (window as unknown as { pickedKinds: string[] }).pickedKinds)).toEqual(['folders']);
    const datasets = await page.evaluate(() => window.unet.datasets.list());
    expect(datasets).toMatchObject([{ name: path.basename(first.root), imageCount: 7, annotatedCount: 7 }]);
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(7);
    await screenshot(page, 'desktop-import');
    expect(pageErrors).toEqual([]);
  });
});
