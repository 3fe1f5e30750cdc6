import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { readImage, readImageMetadata } from '../../../src-main/io/read-image';
import { writeFloatTiff, writeLabelImage } from '../../../src-main/io/write-image';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 301; // odd sizes and several strips
const H = 257;

function labels16(): Uint16Array {
  const data = new Uint16Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 65536;
  return data;
}

function labels8(): Uint8Array {
  const data = new Uint8Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 256;
  return data;
}

/** Same element type and bit-identical samples (so -0 and NaN payloads count); cheap on large arrays. */
function identical(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** Reads a TIFF with geotiff's own parser, as a second opinion on what was written. */
async function geotiffRead(path: string) {
  const bytes = readFileSync(path);
  const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const image = await tiff.getImage();
  const raster = await image.readRasters({ interleave: true });
  return { directory: image.getFileDirectory(), raster };
}

describe('writeLabelImage', () => {
  it.each([
    ['labels16.tif', 'deflate'], ['labels16-raw.tif', 'none'], ['labels16.tiff', 'deflate'],
  ] as const)('%s keeps 16-bit labels exactly (%s)', async (name, compression) => {
    const path = join(dir, name);
    const data = labels16();
    await writeLabelImage(path, data, W, H, { compression });
    const back = await readImage(path);
    expect(back).toMatchObject({ width: W, height: H, channels: 1, dtype: 'uint16' });
    expect(identical(back.data, data)).toBe(true);
    const { directory, raster } = await geotiffRead(path);
    expect(Array.from(directory.BitsPerSample)).toEqual([16]);
    expect(directory.Compression).toBe(compression === 'deflate' ? 8 : 1);
    expect(directory.PhotometricInterpretation).toBe(1);
    expect(directory.StripOffsets.length).toBeGreaterThan(1);
    expect(identical(raster as unknown as ArrayBufferView, data)).toBe(true);
  });

  it('writes 8-bit labels as an 8-bit TIFF', async () => {
    const path = join(dir, 'labels8.tif');
    await writeLabelImage(path, labels8(), W, H);
    expect(await readImageMetadata(path)).toMatchObject({ bitDepth: 8, dtype: 'uint8', compression: 'deflate' });
    expect(identical((await readImage(path)).data, labels8())).toBe(true);
    expect(identical((await geotiffRead(path)).raster as unknown as ArrayBufferView, labels8())).toBe(true);
  });

  it.each([['labels16.png', labels16()], ['labels8.png', labels8()]] as const)('%s round-trips through PNG', async (name, data) => {
    const path = join(dir, name);
    await writeLabelImage(path, data, W, H);
    const back = await readImage(path);
    expect(back.data.constructor).toBe(data.constructor);
    expect(identical(back.data, data)).toBe(true);
    // pngjs, read on its own, agrees on the stored bit depth.
    const decoded = pngjs.PNG.sync.read(readFileSync(path), { skipRescale: true } as pngjs.ParserOptions);
    expect(decoded.depth).toBe(data instanceof Uint16Array ? 16 : 8);
  });

  it('stores a pixel size in µm that reads back', async () => {
    const path = join(dir, 'calibrated.tif');
    await writeLabelImage(path, labels8(), W, H, { pixelSize: { x: 0.645, y: 0.5, unit: 'µm' } });
    const meta = await readImageMetadata(path);
    expect(meta.pixelSize?.unit).toBe('µm');
    expect(meta.pixelSize?.x).toBeCloseTo(0.645, 6);
    expect(meta.pixelSize?.y).toBeCloseTo(0.5, 6);
  });

  it('refuses bad arguments with typed errors and leaves no partial files', async () => {
    const wrongLength = await writeLabelImage(join(dir, 'bad.tif'), new Uint8Array(10), 4, 4).catch((e: unknown) => e);
    expect((wrongLength as UnetError).code).toBe('INVALID_ARGUMENT');
    const jpeg = await writeLabelImage(join(dir, 'bad.jpg'), new Uint8Array(16), 4, 4).catch((e: unknown) => e);
    expect((jpeg as UnetError).code).toBe('UNSUPPORTED');
    const missingDir = await writeLabelImage(join(dir, 'no', 'such', 'x.tif'), new Uint8Array(16), 4, 4).catch((e: unknown) => e);
    expect((missingDir as UnetError).code).toBe('NOT_FOUND');
    const floats = await writeLabelImage(join(dir, 'f.tif'), new Float32Array(16) as unknown as Uint8Array, 4, 4).catch((e: unknown) => e);
    expect((floats as UnetError).code).toBe('INVALID_ARGUMENT');
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});

describe('writeFloatTiff', () => {
  it.each([1, 2, 3])('keeps %i-channel float32 maps bit-exact', async (channels) => {
    const path = join(dir, `prob-${channels}.tif`);
    const data = new Float32Array(W * H * channels);
    for (let i = 0; i < data.length; i++) data[i] = Math.fround(Math.sin(i) * 0.5 + 0.5);
    data[0] = -0;
    data[1] = 1e-38;
    await writeFloatTiff(path, data, W, H, channels);
    const back = await readImage(path);
    expect(back).toMatchObject({ width: W, height: H, channels, dtype: 'float32' });
    expect(identical(back.data, data)).toBe(true);
    const { directory, raster } = await geotiffRead(path);
    expect(Array.from(directory.SampleFormat)).toEqual(new Array(channels).fill(3));
    expect(Array.from(directory.BitsPerSample)).toEqual(new Array(channels).fill(32));
    expect(identical(raster as unknown as ArrayBufferView, data)).toBe(true);
  });

  it('writes uncompressed when asked, and refuses non-TIFF names', async () => {
    const path = join(dir, 'prob-raw.tif');
    await writeFloatTiff(path, new Float32Array(6).fill(0.25), 3, 2, 1, { compression: 'none' });
    expect(await readImageMetadata(path)).toMatchObject({ compression: 'none', width: 3, height: 2 });
    const png = await writeFloatTiff(join(dir, 'prob.png'), new Float32Array(6), 3, 2).catch((e: unknown) => e);
    expect((png as UnetError).code).toBe('UNSUPPORTED');
    const shape = await writeFloatTiff(join(dir, 'prob.tif'), new Float32Array(6), 3, 2, 2).catch((e: unknown) => e);
    expect((shape as UnetError).code).toBe('INVALID_ARGUMENT');
  });
});
