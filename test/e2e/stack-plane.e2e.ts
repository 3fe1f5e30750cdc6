import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStackTiff, omeXml, planeValue, stackPages } from '../helpers/stack-tiff';
import { launchChromium, openAppPage, screenshot, startServedApp, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;
let folder: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'unet-e2e-stack-'));
  // 2 channels x 3 z x 2 t; every pixel of plane (c, z, t) is 1000 + 100 c + 10 z + t.
  const sizes = { C: 2, Z: 3, T: 2 };
  writeFileSync(path.join(folder, 'stack.ome.tif'), buildStackTiff({ width: 64, height: 48, pages: stackPages(64, 48, sizes, 'XYZCT'), description: omeXml(sizes, 'XYZCT') }));
  app = await startServedApp({ extraArgs: ['--allow-root', folder] });
  browser = await launchChromium();
  page = await openAppPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The sample range the Display panel shows: one value for a plane of equal pixels. */
async function shownRange(): Promise<string> {
  return (await page.getByTestId('display-range').textContent()) ?? '';
}

/** A brush stroke across the middle of the canvas. */
async function stroke(): Promise<void> {
  const box = (await page.getByTestId('annotate-canvas').boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 });
  await page.mouse.up();
}

async function annotationVersion(): Promise<number> {
  return page.evaluate(async () => {
    const [dataset] = await window.unet.datasets.list();
    const [image] = (await window.unet.images.list({ datasetId: dataset.id })).items;
    return (await window.unet.annotations.get({ imageId: image.id })).version;
  });
}

async function datasetPlane(): Promise<unknown> {
  return page.evaluate(async () => (await window.unet.datasets.list())[0].plane);
}

describe("an OME-TIFF hyperstack's plane in Chromium (browser mode)", () => {
  it('imports the stack and offers its channels, slices and time points in the Library', async () => {
    await page.goto(app.url);
    await page.getByTestId('dataset-create-name').fill('Stacks');
    await page.getByTestId('dataset-create').click();
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(1);
    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('library-plane-channel').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('library-plane-channel').locator('option').allTextContents()).toEqual(['default', '1', '2']);
    expect(await page.getByTestId('library-plane-z').locator('option').count()).toBe(3);
    expect(await page.getByTestId('library-plane-t').locator('option').count()).toBe(2);
  });

  it('picks channel 2 in the Library, and Annotate opens the image on that plane', async () => {
    await page.getByTestId('library-plane-channel').selectOption({ label: '2' });
    await expect.poll(datasetPlane).toEqual({ c: 1, z: 0, t: 0 });
    // The thumbnail is made again, of the new plane.
    await expect.poll(() => page.locator('[data-testid="image-tile"] img').count(), { timeout: 20_000 }).toBe(1);
    await screenshot(page, 'library-plane');

    await page.getByTestId('image-tile').first().dblclick();
    await expect.poll(() => page.getByTestId('annotate-canvas').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    expect(await page.getByTestId('plane-c').inputValue()).toBe('1');
    expect(await page.getByTestId('plane-z').inputValue()).toBe('0');
    await expect.poll(shownRange).toContain(String(planeValue(1, 0, 0)));
    expect(await page.getByTestId('plane-lock').count()).toBe(0);
  });

  it('paints only on the data set\'s plane: back to it, or make the shown plane the data set\'s (confirmed once annotated)', async () => {
    await page.getByTestId('plane-z').fill('2');
    await expect.poll(shownRange).toContain(String(planeValue(1, 2, 0)));
    await expect.poll(() => page.getByTestId('plane-lock').count()).toBe(1);
    expect(await page.getByTestId('plane-lock').textContent()).toContain('channel 2 · slice 1 · time 1');
    await screenshot(page, 'annotate-plane-lock');
    // A stroke on another plane paints nothing, so nothing is saved.
    await stroke();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await annotationVersion()).toBe(0);
    await page.getByTestId('plane-back').click();
    await expect.poll(() => page.getByTestId('plane-lock').count()).toBe(0);
    await expect.poll(shownRange).toContain(String(planeValue(1, 0, 0)));
    await stroke();
    await expect.poll(annotationVersion, { timeout: 15_000 }).toBe(1);

    await page.getByTestId('plane-t').fill('1');
    await expect.poll(() => page.getByTestId('plane-lock').count()).toBe(1);
    // The image is annotated now: the service asks before its annotation goes with another plane.
    await page.getByTestId('plane-use').click();
    await expect.poll(() => page.getByTestId('plane-use-confirm').count()).toBe(1);
    expect(await page.getByTestId('plane-lock').textContent()).toContain('were annotated on channel 2 · slice 1 · time 1');
    expect(await datasetPlane()).toEqual({ c: 1, z: 0, t: 0 });
    await page.getByTestId('plane-use-confirm').click();
    await expect.poll(() => page.getByTestId('plane-lock').count()).toBe(0);
    expect(await datasetPlane()).toEqual({ c: 1, z: 0, t: 1 });
    await screenshot(page, 'annotate-plane');
    expect(pageErrors).toEqual([]);
  });
});
