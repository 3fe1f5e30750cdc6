import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listImageFiles } from '../../../src-main/io/list-image-files';
import { readImage, readImageMetadata, readImageRegion } from '../../../src-main/io/read-image';

/** The shared benchmark data sits next to the repository; without it these checks are skipped. */
const DATA = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

interface Expectation {
  format: string;
  dtype: string;
  channels: number;
  /** Every sample lies in [min, max]. */
  range: [number, number];
}

const EXPECTED: Record<string, Expectation> = {
  'dic-hela/images': { format: 'tiff', dtype: 'uint8', channels: 1, range: [0, 255] },
  'dic-hela/masks': { format: 'tiff', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'fluo-hela/images': { format: 'tiff', dtype: 'uint16', channels: 1, range: [32000, 38000] },
  'fluo-hela/masks': { format: 'tiff', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'dsb2018/images': { format: 'png', dtype: 'uint8', channels: 4, range: [0, 255] },
  'dsb2018/masks': { format: 'png', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'isbi2012/images': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
  'isbi2012/masks': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
  'isbi2012/test-images': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
};

describe.skipIf(!existsSync(DATA))('real microscopy data in ../shared/data', { timeout: 180_000 }, () => {
  it('every image and mask loads with the expected type, and 16-bit stays 16-bit', async () => {
    const files = await listImageFiles(DATA, { recursive: true });
    expect(files.length).toBeGreaterThan(100);
    for (const path of files) {
      const group = `${basename(dirname(dirname(path)))}/${basename(dirname(path))}`;
      const expected = EXPECTED[group];
      expect(expected, `unexpected folder ${group}`).toBeDefined();
      const meta = await readImageMetadata(path);
      const image = await readImage(path);
      expect({ format: meta.format, dtype: image.dtype, channels: image.channels }, path).toEqual({
        format: expected.format, dtype: expected.dtype, channels: expected.channels,
      });
      expect([image.width, image.height]).toEqual([meta.width, meta.height]);
      let min = Infinity;
      let max = -Infinity;
      for (const v of image.data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min, path).toBeGreaterThanOrEqual(expected.range[0]);
      expect(max, path).toBeLessThanOrEqual(expected.range[1]);
      if (group.endsWith('masks') && expected.dtype === 'uint16') expect(max, path).toBeGreaterThan(0);
    }
  });

  it('Fluo-N2DL-HeLa keeps its narrow 16-bit range and a region matches the full decode', async () => {
    const files = await listImageFiles(resolve(DATA, 'fluo-hela', 'images'));
    for (const path of files) {
      const full = await readImage(path);
      expect(full).toMatchObject({ width: 1100, height: 700, dtype: 'uint16' });
      expect(full.data).toBeInstanceOf(Uint16Array);
      expect(Math.max(...full.data.subarray(0, 100000))).toBeGreaterThan(33000);
      const region = await readImageRegion(path, { x: 517, y: 301, width: 64, height: 33 });
      for (let y = 0; y < 33; y++) {
        const from = (301 + y) * 1100 + 517;
        expect(Array.from(region.data.subarray(y * 64, (y + 1) * 64))).toEqual(Array.from(full.data.subarray(from, from + 64)));
      }
    }
  });
});
