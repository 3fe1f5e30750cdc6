import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImageRecord } from '../../../src-shared/contract/records';
import { defaultImageIo } from '../../../src-main/store/default-image-io';
import { loadThumbnail } from '../../../src-main/store/thumbnails';
import { buildPyramidTiff16 } from '../../helpers/tiled-tiff';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'thumb-levels-'));
  // The stored levels hold a left/right split the full-resolution page does not: a thumbnail that
  // shows the split was made from a level.
  const full = { width: 2048, height: 1024, data: new Uint16Array(2048 * 1024).fill(500) };
  const split = (width: number, height: number) => ({ width, height, data: Uint16Array.from({ length: width * height }, (_, i) => (i % width < width / 2 ? 100 : 9000)) });
  writeFileSync(join(dir, 'pyramid.ome.tif'), buildPyramidTiff16([[full, split(1024, 512), split(512, 256), split(128, 64)]], { levelsAs: 'subifds' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thumbnails of pyramidal TIFFs', () => {
  it('are made from the smallest stored level that covers them', async () => {
    const image = { id: 1, path: join(dir, 'pyramid.ome.tif'), contentHash: 'abc', width: 2048, height: 1024 } as ImageRecord;
    const read = vi.spyOn(defaultImageIo, 'readImage');
    const thumb = await loadThumbnail(defaultImageIo, join(dir, 'cache'), image, 256);
    expect(read).toHaveBeenCalledWith(image.path, expect.objectContaining({ level: 2 }));
    read.mockRestore();
    expect([thumb.width, thumb.height]).toEqual([256, 128]);
    const png = PNG.sync.read(Buffer.from(thumb.data));
    const at = (x: number) => png.data[(64 * 256 + x) * 4];
    expect(at(10)).toBeLessThan(50);
    expect(at(250)).toBeGreaterThan(200);
  });
});
