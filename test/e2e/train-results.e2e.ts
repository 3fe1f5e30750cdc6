import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';
import { writeSyntheticCells } from './synthetic-cells';

let app: ServedApp;
let browser: Browser;
let page: Page;
let datasetId: number;
const pageErrors: string[] = [];

/** Creates a data set through the API, imports the generated folder and splits it 4 train / 2 validation. */
async function prepareWorkspace(folder: string): Promise<number> {
  return page.evaluate(async (folder) => {
    const api = window.unet;
    const dataset = await api.datasets.create({ name: 'Synthetic cells', description: 'generated discs for the end-to-end test' });
    let job = await api.images.import({ datasetId: dataset.id, paths: [folder] });
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = await api.jobs.get({ id: job.id });
    }
    if (job.status !== 'succeeded') throw new Error(`import ${job.status}: ${job.error?.message}`);
    const images = (await api.images.list({ datasetId: dataset.id, limit: 100 })).items;
    await api.images.setSplit({ ids: images.slice(0, 4).map((i) => i.id), split: 'train' });
    await api.images.setSplit({ ids: images.slice(4).map((i) => i.id), split: 'validation' });
    return dataset.id;
  }, folder);
}

/** Scrolls the view (the <main> element scrolls, not the page) to the top or to a test id's section. */
async function scrollTo(testid?: string): Promise<void> {
  await page.evaluate((testid) => {
    if (!testid) return document.querySelector('main')?.scrollTo(0, 0);
    const el = document.querySelector(`[data-testid="${testid}"]`);
    (el?.closest('section') ?? el)?.scrollIntoView({ block: 'start' });
  }, testid);
}

const chartPoints = async (testid: string) => Number(await page.getByTestId(testid).getAttribute('data-points'));
const trainStatus = () => page.getByTestId('train-progress').getAttribute('data-status');

beforeAll(async () => {
  const cells = writeSyntheticCells({ count: 6, size: 96 });
  // Browser mode reads files only inside the workspace and the allowed roots.
  app = await startServedApp({ extraArgs: ['--allow-root', cells.root] });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.url);
  await page.waitForFunction(() => typeof window.unet === 'object', null, { timeout: 30_000 });
  datasetId = await prepareWorkspace(cells.root);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('Train, Results and Settings in Chromium', () => {
  it('shows the split summary and the editable tiny preset, and rejects an illegal tile', async () => {
    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.getByTestId('train-split-message').textContent(), { timeout: 20_000 }).toContain('4 of 4 training image(s) annotated');
    // Each preset brings its own enlargement: the fast preset enlarges by object size, tiny does not.
    await page.getByTestId('train-preset').selectOption('fast');
    await expect.poll(() => page.getByTestId('train-upscale').inputValue()).toBe('auto');
    await page.getByTestId('train-preset').selectOption('tiny');
    await expect.poll(() => page.getByTestId('train-tile').inputValue()).toBe('92');
    expect(await page.getByTestId('train-upscale').inputValue()).toBe('1');
    await page.getByTestId('train-tile').fill('93');
    await expect.poll(() => page.getByTestId('train-start').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('train-tile-suggest').count()).toBeGreaterThan(0);
    await page.getByTestId('train-tile-suggest').first().click();
    expect(await page.getByTestId('train-tile').inputValue()).toBe('92');
    await page.getByTestId('train-steps').fill('40');
    await page.getByTestId('train-validate-every').fill('10');
    // Enlarged twice: the run records it, and the Results view below segments through the enlarged path.
    await page.getByTestId('train-upscale').selectOption('2');
    // One balance of the classes over the data set instead of each image's own: the run records it.
    expect(await page.getByTestId('train-class-weights').inputValue()).toBe('per-image');
    await page.getByTestId('train-class-weights').selectOption('data-set');
    expect(await page.getByTestId('train-start').isEnabled()).toBe(true);
    expect(await page.getByTestId('train-backend').textContent()).toMatch(/Backend.*(GPU|CPU)/);
  });

  it('trains the tiny preset to completion with live charts', async () => {
    await page.getByTestId('train-start').click();
    await expect.poll(trainStatus, { timeout: 30_000 }).toMatch(/queued|running|succeeded/);
    await expect.poll(() => chartPoints('train-chart-loss'), { timeout: 90_000 }).toBeGreaterThan(2);
    const early = await chartPoints('train-chart-loss');
    await expect.poll(() => page.getByTestId('train-progress-text').textContent()).toMatch(/step \d+ \/ 40/);
    await scrollTo();
    await screenshot(page, 'train-during');
    await expect.poll(trainStatus, { timeout: 150_000, interval: 500 }).toBe('succeeded');
    expect(await chartPoints('train-chart-loss')).toBeGreaterThan(early);
    expect(await chartPoints('train-chart-iou')).toBeGreaterThan(0);
    expect(await page.getByTestId('train-progress-text').textContent()).toContain('step 40 / 40');
    const runs = await page.evaluate(async (datasetId) => (await window.unet.runs.list({ datasetId })).map((r) => r.id), datasetId);
    const config = await page.evaluate(async (id) => (await window.unet.runs.get({ id })).config, runs[0]);
    expect(config.upscale).toBe(2);
    expect(config.classWeights).toBe('data-set');
    await scrollTo();
    await screenshot(page, 'train-after');
  });

  it('segments the validation split with the run and shows per-image metrics and the mean IoU', async () => {
    await page.getByTestId('train-open-results').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('segment-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('segment-tta').check();
    await page.getByTestId('segment-start').click();
    await expect.poll(() => page.getByTestId('segment-progress').getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('metrics-row').count(), { timeout: 20_000 }).toBe(2);
    // The run had validation images, so its objects were split as calibrated after training, and the panel says how.
    const objects = page.getByTestId('segment-objects');
    expect(await objects.getAttribute('data-calibrated')).toBe('true');
    expect(await objects.textContent()).toMatch(/^\s*Objects: (connected components|seeds p >= [0-9.]+|seed erosion)[^]*\(chosen after training on the run’s annotated images\)\.\s*$/);
    const headers = await page.getByTestId('metrics-table').locator('thead th').allTextContents();
    expect(headers.join(' ')).toMatch(/IoU.*SEG/);
    const meanIou = Number(await page.getByTestId('metric-mean-iou').textContent());
    expect(meanIou).toBeGreaterThanOrEqual(0);
    expect(meanIou).toBeLessThanOrEqual(1);
    // The mean shown is the mean of the rows above it.
    const table = await page.evaluate(async (runId) => window.unet.results.evaluations({ runId }), Number(await page.getByTestId('run-row').first().getAttribute('data-run-id')));
    expect(meanIou).toBeCloseTo(table.mean.iou ?? NaN, 4);
    // The Otsu baseline on the same images sits under the mean, with a sentence comparing the two.
    expect(await page.getByTestId('metrics-baseline').locator('th').first().textContent()).toBe('Otsu baseline');
    expect(table.baseline?.method).toBe('otsu');
    expect(Number((await page.getByTestId('metric-baseline-iou').textContent())?.replace(/[^0-9.]/g, ''))).toBeCloseTo(table.baseline?.mean.iou ?? NaN, 4);
    expect(await page.getByTestId('baseline-verdict').textContent()).toMatch(/^The model (does not beat|beats) an Otsu threshold on these images: /);
    await expect.poll(() => page.getByTestId('overlay-canvas').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('truth-canvas').count()).toBe(1);
    await page.getByTestId('prediction-opacity').fill('0.6');
    await scrollTo();
    await screenshot(page, 'results-top');
    await scrollTo('metrics-table');
    await screenshot(page, 'results');
    await page.getByTestId('overlay-mode').selectOption('probability');
    await page.getByTestId('overlay-single').click();
    await scrollTo('overlay-viewer');
    await screenshot(page, 'results-probability');
    await page.getByTestId('overlay-side').click();
    await page.getByTestId('overlay-mode').selectOption('classes');
  });

  it('exports the metrics as CSV and says where it went', async () => {
    await page.getByTestId('export-csv').click();
    await expect.poll(() => page.getByTestId('export-path').count(), { timeout: 20_000 }).toBe(1);
    const file = (await page.getByTestId('export-path').locator('code').textContent())!;
    expect(file.startsWith(app.workspace)).toBe(true);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/iou/);
    expect(await page.getByTestId('export-masks').textContent()).not.toContain('none yet');
  });

  it('exports the predicted objects as ImageJ ROI sets and says where they went', async () => {
    await page.getByTestId('export-rois-zip').click();
    await expect.poll(() => page.getByTestId('export-rois-path').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('export-rois-path').textContent()).toMatch(/\d+ object\(s\) from [1-9]\d* image\(s\) as ImageJ ROI sets/);
    const folder = (await page.getByTestId('export-rois-path').locator('code').textContent())!;
    expect(folder.startsWith(app.workspace)).toBe(true);
    expect(readdirSync(folder).some((f) => f.endsWith('.rois.zip'))).toBe(true);
  });

  it('compares two runs side by side', async () => {
    // A second, shorter run, trained and segmented through the API to keep the test short.
    await page.evaluate(async (datasetId) => {
      const api = window.unet;
      const wait = async (id: string) => {
        for (;;) {
          const job = await api.jobs.get({ id });
          if (job.status === 'succeeded') return;
          if (job.status !== 'queued' && job.status !== 'running') throw new Error(`${job.title}: ${job.status} ${job.error?.message ?? ''}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const { job, runId } = await api.training.start({ datasetId, name: 'tiny, 20 steps', options: { preset: 'tiny', steps: 20, validateEvery: 10, seed: 2, learningRate: 5e-4, backend: 'auto' } });
      await wait(job.id);
      const ids = (await api.images.list({ datasetId, split: 'validation' })).items.map((i) => i.id);
      await wait((await api.segmentation.start({ runId, imageIds: ids, options: { tta: false, instances: true, evaluate: true } })).job.id);
    }, datasetId);
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 20_000 }).toBe(2);
    await page.getByTestId('run-compare').nth(0).check();
    await page.getByTestId('run-compare').nth(1).check();
    await expect.poll(() => page.getByTestId('compare-table').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('compare-table').locator('thead th').count()).toBe(3);
    await expect.poll(() => chartPoints('compare-chart-loss')).toBeGreaterThan(0);
    await scrollTo();
    await screenshot(page, 'results-compare');
  });

  it('shows the GPU doctor and keeps the backend choice in Settings', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('gpu-finding').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('backend-wasm').check();
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('unet-studio.preferences') ?? '{}'));
    expect(stored.backend).toBe('wasm');
    await page.getByTestId('backend-auto').check();
    await screenshot(page, 'settings');
  });

  it('shows a failed call as a readable message, not a blank view', async () => {
    await page.getByTestId('workspace-path').fill('/proc/version/not-a-workspace');
    await page.getByTestId('workspace-open').click();
    await expect.poll(() => page.getByTestId('settings-error').textContent(), { timeout: 20_000 }).toMatch(/\S{10,}/);
    expect(await page.getByTestId('settings-workspace').textContent()).toContain(app.workspace);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
