import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { readImage, readImageRegion } from '../../../src-main/io/read-image';
import { buildTiff, grayTags } from './tiff-bytes';

let dir: string;
const SIZE = 1500;
const pixels = new Uint8Array(SIZE * SIZE).map((_, i) => (i % SIZE) ^ Math.floor(i / SIZE));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-region-'));
  // ImageJ's layout: the whole image in one uncompressed strip.
  writeFileSync(join(dir, 'one-strip.tif'), buildTiff(grayTags(SIZE, SIZE, 8, 1), [pixels]));
  writeFileSync(join(dir, 'one-strip-deflate.tif'), buildTiff(grayTags(SIZE, SIZE, 8, 8), [deflateSync(pixels)]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('windows of large images', () => {
  it('reads a window of a single uncompressed strip without decoding the strip', async () => {
    const path = join(dir, 'one-strip.tif');
    const budget = { maxPixels: 10_000 };
    const window = await readImageRegion(path, { x: 700, y: 1400, width: 90, height: 100, ...budget });
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 90; x += 17) expect(window.data[y * 90 + x]).toBe(pixels[(1400 + y) * SIZE + 700 + x]);
    }
    const whole = await readImage(path, budget).catch((e: unknown) => e);
    expect((whole as UnetError).code).toBe('TOO_LARGE');
  });

  it('refuses a window whose compressed strip alone exceeds the budget', async () => {
    const path = join(dir, 'one-strip-deflate.tif');
    const error = await readImageRegion(path, { x: 0, y: 0, width: 10, height: 10, maxPixels: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnetError);
    expect((error as UnetError).code).toBe('TOO_LARGE');
    expect((error as UnetError).message).toMatch(/one strip of 1500 x 1500 x 1 samples/);
    const within = await readImageRegion(path, { x: 5, y: 1490, width: 10, height: 10 });
    expect(within.data[9 * 10 + 3]).toBe(pixels[1499 * SIZE + 8]);
  });
});
