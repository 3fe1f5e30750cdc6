import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { readImage, readImageMetadata, readImageRegion } from '../../../src-main/io/read-image';
import { fixturePath, loadManifest, maxPatternError } from './fixture-pattern';

const manifest = loadManifest();
const readable = manifest.filter((f) => !f.expectError);

const ARRAY_TYPES: Record<string, string> = {
  uint8: 'Uint8Array',
  uint16: 'Uint16Array',
  uint32: 'Uint32Array',
  int8: 'Int8Array',
  int16: 'Int16Array',
  int32: 'Int32Array',
  float32: 'Float32Array',
};

describe('committed fixtures', () => {
  it('cover every format, sample type, layout and compression the reader claims', () => {
    const has = (p: (f: (typeof manifest)[number]) => boolean) => readable.some(p);
    for (const dtype of Object.keys(ARRAY_TYPES)) expect(has((f) => f.format === 'tiff' && f.dtype === dtype)).toBe(true);
    for (const compression of ['none', 'lzw', 'deflate', 'packbits']) {
      expect(has((f) => f.format === 'tiff' && f.compression === compression && !f.tiled)).toBe(true);
      if (compression !== 'none') expect(has((f) => f.format === 'tiff' && f.compression === compression && f.tiled)).toBe(true);
    }
    expect(has((f) => f.bigTiff)).toBe(true);
    expect(has((f) => f.frames > 1)).toBe(true);
    for (const channels of [1, 2, 3, 4]) expect(has((f) => f.format === 'png' && f.channels === channels)).toBe(true);
    expect(has((f) => f.format === 'png' && f.dtype === 'uint16' && f.channels === 4)).toBe(true);
    expect(has((f) => f.format === 'jpeg')).toBe(true);
  });
});

describe.each(readable)('$file', (fixture) => {
  const path = fixturePath(fixture.file);

  it('reports its metadata without decoding', async () => {
    const meta = await readImageMetadata(path);
    expect(meta).toMatchObject({
      width: fixture.width,
      height: fixture.height,
      frames: fixture.frames,
      channels: fixture.channels,
      bitDepth: fixture.bitDepth,
      dtype: fixture.dtype,
      format: fixture.format,
      compression: fixture.compression,
      tiled: fixture.tiled,
      bigTiff: fixture.bigTiff,
      colorSpace: fixture.colorSpace,
      alpha: fixture.alpha,
    });
    expect(meta.fileSize).toBeGreaterThan(0);
    if (fixture.pixelSize) {
      expect(meta.pixelSize?.unit).toBe(fixture.pixelSize.unit);
      expect(meta.pixelSize?.x).toBeCloseTo(fixture.pixelSize.x, 6);
      expect(meta.pixelSize?.y).toBeCloseTo(fixture.pixelSize.y, 6);
    }
  });

  it('decodes every frame to the known pixel values, in its own sample type', async () => {
    for (let frame = 0; frame < fixture.frames; frame++) {
      const image = await readImage(path, { frame });
      expect(image).toMatchObject({ width: fixture.width, height: fixture.height, channels: fixture.channels, frames: 1 });
      expect(image.dtype).toBe(fixture.dtype);
      expect(image.data.constructor.name).toBe(ARRAY_TYPES[fixture.dtype]);
      const window = { x: 0, y: 0, width: fixture.width, height: fixture.height };
      expect(maxPatternError(image.data, fixture.pattern, window, fixture.channels, frame)).toBeLessThanOrEqual(fixture.tolerance);
    }
  });

  it('reads a window equal to the same window of the whole frame', async () => {
    const frame = fixture.frames - 1;
    const full = await readImage(path, { frame });
    for (const window of [{ x: 3, y: 4, width: 20, height: 13 }, { x: 36, y: 22, width: 1, height: 1 }, { x: 0, y: 0, width: 37, height: 23 }]) {
      const region = await readImageRegion(path, { frame, ...window });
      expect(region).toMatchObject({ width: window.width, height: window.height, channels: fixture.channels, dtype: fixture.dtype });
      const expected = [];
      for (let y = window.y; y < window.y + window.height; y++) {
        const start = (y * fixture.width + window.x) * fixture.channels;
        expected.push(...full.data.subarray(start, start + window.width * fixture.channels));
      }
      expect(Array.from(region.data)).toEqual(expected);
    }
  });
});

describe('supported but refused files', () => {
  it.each(manifest.filter((f) => f.expectError))('$file fails with $expectError naming the file', async (fixture) => {
    const path = fixturePath(fixture.file);
    const error = await readImage(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnetError);
    expect((error as UnetError).code).toBe(fixture.expectError);
    expect((error as UnetError).message).toContain(path);
    expect((error as UnetError).message).toMatch(/jpeg/i);
  });
});

describe('16-bit data', () => {
  it('stays 16-bit with values above 255 intact', async () => {
    for (const file of ['tiff-u16-lzw.tif', 'png-gray16.png', 'png-rgba16.png']) {
      const image = await readImage(fixturePath(file));
      expect(image.data).toBeInstanceOf(Uint16Array);
      expect(Math.max(...image.data)).toBeGreaterThan(60000);
    }
  });
});
