import { TRAINING_BACKENDS } from '../../src-shared/contract/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startServedApp, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startServedApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('app shell in Chromium (browser mode)', () => {
  it('shows the status bar with the compute backend from system.info()', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const status = page.getByTestId('backend-status');
    await expect.poll(async () => status.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`Compute: (${TRAINING_BACKENDS.join('|')}) · `));
    // The text comes from the live server, not a placeholder: compare with a direct call.
    const info = await page.evaluate(() => window.unet.system.info());
    expect(await status.textContent()).toContain(info.compute.training);
    expect(await status.textContent()).toContain(info.compute.device);
    await screenshot(page, 'app-shell');
    expect(errors).toEqual([]);
  });

  it('navigates between the views', async () => {
    for (const view of ['library', 'annotate', 'train', 'results', 'settings']) {
      await page.getByTestId(`nav-${view}`).click();
      await expect.poll(() => page.getByTestId(`nav-${view}`).getAttribute('aria-current')).toBe('page');
    }
  });

  it('refuses the page and the API without the token', async () => {
    const context = await browser.newContext();
    const anonymous = await context.newPage();
    const response = await anonymous.goto(app.origin + '/');
    expect(response?.status()).toBe(401);
    const apiStatus = await anonymous.evaluate(async (origin) => {
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(origin.replace('http', 'ws') + '/api');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    }, app.origin);
    expect(apiStatus).toBe('refused');
    await context.close();
  });
});
