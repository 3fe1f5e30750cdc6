import { inflateSync } from 'node:zlib';
import pngjs from 'pngjs';
import type { BoundedFile } from '../bounded-file';
import { allocatePixels, type DecodedImage, type ImageMetadata, type PixelArray } from '../image-types';
import { corrupt } from '../io-errors';
import { checkPixelBudget } from '../region';
import { decodedChannels, inflatedSize, isGrayPalette, walkPngChunks, type PngChunk, type PngHeader } from './png-chunks';

/*
 * PNG through pngjs: pure JavaScript (no native prebuilt binaries to download per platform and Electron
 * version) and it keeps 16-bit samples (skipRescale) instead of cutting them to 8 bits. pngjs trusts
 * its input, so everything it would choke on is checked here first: chunk lengths against the file,
 * every CRC, the declared size against the pixel limit, and the inflated size of the image data
 * (a small IDAT that inflates to gigabytes is refused before pngjs inflates it without a bound).
 */

/** Some encoders leave a few bytes after the last row; more than this is not a sloppy encoder. */
const INFLATE_SLACK = 64 * 1024;

function colorSpaceOf(header: PngHeader): 'gray' | 'rgb' {
  if (header.colorType === 2 || header.colorType === 6) return 'rgb';
  if (header.colorType === 3) return header.palette && isGrayPalette(header.palette) && !header.transparency ? 'gray' : 'rgb';
  return 'gray';
}

function hasAlpha(header: PngHeader): boolean {
  return header.colorType === 4 || header.colorType === 6 || (header.colorType === 3 && header.transparency);
}

function fileBytes(file: BoundedFile): (offset: number, length: number) => Promise<Uint8Array> {
  return (offset, length) => file.read(offset, length, 'PNG chunk');
}

export async function readPngMetadata(file: BoundedFile): Promise<ImageMetadata> {
  const { header } = await walkPngChunks(file.path, file.size, fileBytes(file), 'metadata');
  const bitDepth = header.colorType === 3 ? 8 : header.bitDepth;
  return {
    width: header.width,
    height: header.height,
    frames: 1,
    channels: decodedChannels(header),
    bitDepth,
    dtype: bitDepth === 16 ? 'uint16' : 'uint8',
    format: 'png',
    compression: 'deflate',
    tiled: false,
    bigTiff: false,
    colorSpace: colorSpaceOf(header),
    alpha: hasAlpha(header),
    ...(header.pixelSize ? { pixelSize: header.pixelSize } : {}),
    fileSize: file.size,
  };
}

function checkImageData(path: string, bytes: Uint8Array, chunks: PngChunk[], header: PngHeader): void {
  const parts = chunks.filter((c) => c.type === 'IDAT').map((c) => bytes.subarray(c.offset + 8, c.offset + 8 + c.length));
  const expected = inflatedSize(header);
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(parts), { maxOutputLength: expected + INFLATE_SLACK });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw corrupt(path, `PNG image data inflates beyond the ${expected} bytes its size needs (decompression bomb?)`);
    }
    throw corrupt(path, `PNG image data is damaged or truncated (${(error as Error).message})`);
  }
  if (inflated.length < expected) {
    throw corrupt(path, `PNG image data is truncated (${inflated.length} of ${expected} bytes)`);
  }
}

/** A copy of the file without chunks of `type` (tRNS on gray/RGB would make pngjs zero those pixels). */
function withoutChunks(bytes: Uint8Array, chunks: PngChunk[], type: string): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const c of chunks) if (c.type !== type) kept.push(bytes.subarray(c.offset, c.offset + 12 + c.length));
  return Buffer.concat(kept);
}

/** pngjs always hands back RGBA; keep only the channels the file has. */
function toChannels(rgba: Uint8Array | Uint16Array, pixels: number, channels: number, dtype: 'uint8' | 'uint16'): PixelArray {
  const out = allocatePixels(dtype, pixels * channels);
  if (channels === 4) {
    out.set(rgba.subarray(0, pixels * 4));
    return out;
  }
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4) {
    if (channels === 1) {
      out[o++] = rgba[i];
    } else if (channels === 2) {
      out[o++] = rgba[i];
      out[o++] = rgba[i + 3];
    } else {
      out[o++] = rgba[i];
      out[o++] = rgba[i + 1];
      out[o++] = rgba[i + 2];
    }
  }
  return out;
}

/** Deflate expands at most 1032:1, so image data smaller than this cannot hold the declared size. */
function checkDeclaredSize(path: string, header: PngHeader, chunks: PngChunk[]): void {
  const stored = chunks.reduce((sum, c) => sum + (c.type === 'IDAT' ? c.length : 0), 0);
  const needed = inflatedSize(header);
  if (stored * 1032 + 1024 < needed) {
    throw corrupt(path, `PNG image data (${stored} bytes) cannot hold a ${header.width} x ${header.height} image`);
  }
}

export async function readPng(file: BoundedFile, maxPixels: number): Promise<DecodedImage> {
  // The chunk list first (headers only), so an impossible or oversized image is refused before reading it in.
  const layout = await walkPngChunks(file.path, file.size, fileBytes(file), 'structure');
  checkDeclaredSize(file.path, layout.header, layout.chunks);
  const channels = decodedChannels(layout.header);
  checkPixelBudget(file.path, layout.header.width, layout.header.height, channels, maxPixels);

  const bytes = await file.read(0, file.size, 'PNG data');
  const { header, chunks } = await walkPngChunks(file.path, file.size, async (o, l) => bytes.subarray(o, o + l), 'full');
  checkImageData(file.path, bytes, chunks, header);
  const input = header.transparency && header.colorType !== 3 ? withoutChunks(bytes, chunks, 'tRNS') : bytes;
  const png = pngjs.PNG.sync.read(Buffer.from(input.buffer, input.byteOffset, input.byteLength), {
    skipRescale: header.bitDepth === 16,
  } as pngjs.ParserOptions);
  const dtype = header.bitDepth === 16 && header.colorType !== 3 ? 'uint16' : 'uint8';
  const rgba = png.data as unknown as Uint8Array | Uint16Array;
  return {
    width: header.width,
    height: header.height,
    channels,
    frames: 1,
    dtype,
    data: toChannels(rgba, header.width * header.height, channels, dtype),
    colorSpace: colorSpaceOf(header),
    alpha: hasAlpha(header),
    ...(header.pixelSize ? { pixelSize: header.pixelSize } : {}),
  };
}
