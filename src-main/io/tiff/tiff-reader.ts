import type { BoundedFile } from '../bounded-file';
import { DEFAULT_MAX_PIXELS, type DecodedImage, type ImageMetadata, type PixelArray } from '../image-types';
import { corrupt, fileError } from '../io-errors';
import { checkPixelBudget, checkRegion, type Region } from '../region';
import { assembleChunky, assembleWithGeotiff, needsGeotiff } from './tiff-assemble';
import { BlockError, decodeBlock } from './tiff-block';
import { describeStack } from './tiff-axes';
import { MAX_DESCRIPTION_BYTES, pageOffsets, readIfd, readTiffHeader, type TiffHeader } from './tiff-ifd';
import { framePageOffset, levelOffsets, tiffLayout } from './tiff-levels';
import { blockRowBytes, parsePage, type TiffPage } from './tiff-page';
import { Compression, PAGE_TAGS, Photometric, Tag, compressionName } from './tiff-tags';

/*
 * TIFF reading: a bounded IFD parser (tiff-ifd.ts) and page check (tiff-page.ts) so that no header value
 * reaches an allocation unchecked; block decoders that stop at the declared size (tiff-block.ts); and
 * assembly of the requested window from exactly the strips/tiles it touches (tiff-assemble.ts, with
 * geotiff's readRasters for separate sample planes and 16-bit floats).
 */

/** Reads spans of nearby blocks in one go when little of the span would be wasted. */
const MAX_SPAN_BYTES = 256 * 1024 * 1024;

/**
 * Page `frame` (walking the IFD chain only as far as that page), or its reduced-resolution level
 * `level` (1 = the largest stored below full resolution).
 */
async function openPage(file: BoundedFile, frame: number, level = 0): Promise<TiffPage> {
  const header = await readTiffHeader(file);
  const { offset, index } = await framePageOffset(file, header, frame);
  if (level === 0) return parsePage(file, header, await readIfd(file, header, offset, index, PAGE_TAGS), index);
  const levels = await levelOffsets(file, header, offset, index, () => tiffLayout(file, header));
  if (level > levels.length) {
    throw fileError('INVALID_ARGUMENT', file.path, `level ${level} does not exist (frame ${frame} has ${levels.length} reduced-resolution level(s))`);
  }
  return parsePage(file, header, await readIfd(file, header, levels[level - 1], index, PAGE_TAGS), index);
}

/** Sizes of the reduced-resolution levels of a page, largest first; unreadable ones are left out. */
async function levelSizes(file: BoundedFile, header: TiffHeader, offsets: number[], layout: Awaited<ReturnType<typeof tiffLayout>>): Promise<{ width: number; height: number }[]> {
  const sizes: { width: number; height: number }[] = [];
  for (const offset of await levelOffsets(file, header, offsets[0], 0, async () => layout)) {
    try {
      const page = parsePage(file, header, await readIfd(file, header, offset, 0, PAGE_TAGS), 0);
      sizes.push({ width: page.width, height: page.height });
    } catch {
      // A damaged level is not used; the full-resolution page still is.
      break;
    }
  }
  return sizes;
}

export async function readTiffMetadata(file: BoundedFile): Promise<ImageMetadata> {
  const header = await readTiffHeader(file);
  const offsets = await pageOffsets(file, header);
  const layout = await tiffLayout(file, header, offsets);
  const frames = layout.framePages.length;
  const ifd = await readIfd(file, header, offsets[0], 0, PAGE_TAGS, MAX_DESCRIPTION_BYTES);
  const page = parsePage(file, header, ifd, 0);
  const description = ifd.tags.get(Tag.ImageDescription);
  const stack = describeStack(typeof description === 'string' ? description : undefined, frames, page.samplesPerPixel);
  const pixelSize = stack.pixelSize ?? page.pixelSize;
  const levels = (await levelSizes(file, header, offsets, layout)).filter((l) => l.width < page.width && l.height < page.height);
  return {
    width: page.width,
    height: page.height,
    frames,
    channels: page.samplesPerPixel,
    bitDepth: page.bitsPerSample,
    dtype: page.dtype,
    format: 'tiff',
    compression: compressionName(page.compression),
    tiled: page.tiled,
    bigTiff: header.bigTiff,
    colorSpace: page.colorSpace,
    alpha: page.alpha,
    ...(pixelSize ? { pixelSize } : {}),
    ...(stack.axes ? { axes: stack.axes } : {}),
    ...(levels.length > 0 ? { levels } : {}),
    fileSize: file.size,
  };
}

/** Indices of the blocks a window touches, in every sample plane. */
function blocksFor(page: TiffPage, region: Region): number[] {
  const firstX = Math.floor(region.x / page.blockWidth);
  const lastX = Math.floor((region.x + region.width - 1) / page.blockWidth);
  const firstY = Math.floor(region.y / page.blockHeight);
  const lastY = Math.floor((region.y + region.height - 1) / page.blockHeight);
  const planes = page.planar === 2 ? page.samplesPerPixel : 1;
  const perPlane = page.blocksAcross * page.blocksDown;
  const indices: number[] = [];
  for (let plane = 0; plane < planes; plane++) {
    for (let by = firstY; by <= lastY; by++) {
      for (let bx = firstX; bx <= lastX; bx++) indices.push(plane * perPlane + by * page.blocksAcross + bx);
    }
  }
  return indices;
}

/** Stored bytes of each needed block, read as one span when the blocks sit close together. */
async function readStoredBlocks(file: BoundedFile, page: TiffPage, indices: number[]): Promise<Map<number, Uint8Array>> {
  const stored = new Map<number, Uint8Array>();
  let start = Infinity;
  let end = 0;
  let total = 0;
  for (const i of indices) {
    start = Math.min(start, page.offsets[i]);
    end = Math.max(end, page.offsets[i] + page.byteCounts[i]);
    total += page.byteCounts[i];
  }
  const span = end - start;
  if (span <= MAX_SPAN_BYTES && span <= 2 * total + 1024 * 1024) {
    const bytes = await file.read(start, span, `image data of page ${page.index}`);
    for (const i of indices) stored.set(i, bytes.subarray(page.offsets[i] - start, page.offsets[i] - start + page.byteCounts[i]));
  } else {
    for (const i of indices) {
      stored.set(i, await file.read(page.offsets[i], page.byteCounts[i], `block ${i} of page ${page.index}`));
    }
  }
  return stored;
}

/**
 * Uncompressed strips can be cut into one-row strips for free. ImageJ writes whole images as a single
 * uncompressed strip; this way a window reads only its own rows, and no strip-sized buffer is needed.
 */
function rowStrips(page: TiffPage): TiffPage {
  if (page.tiled || page.compression !== Compression.None || page.bitsPerSample % 8 !== 0 || page.blockHeight === 1) return page;
  const rowBytes = blockRowBytes(page);
  const offsets: number[] = [];
  const planes = page.planar === 2 ? page.samplesPerPixel : 1;
  for (let plane = 0; plane < planes; plane++) {
    for (let row = 0; row < page.height; row++) {
      const strip = plane * page.blocksDown + Math.floor(row / page.blockHeight);
      offsets.push(page.offsets[strip] + (row % page.blockHeight) * rowBytes);
    }
  }
  return { ...page, blockHeight: 1, blocksDown: page.height, offsets, byteCounts: new Array<number>(offsets.length).fill(rowBytes) };
}

/** Sub-byte gray (1, 2, 4 bit) is spread over 0..255 like PNG decoders do; palette indices stay indices. */
function scaleSubByte(page: TiffPage, data: PixelArray): void {
  if (page.bitsPerSample >= 8 || page.photometric === Photometric.Palette) return;
  const scale = 255 / (2 ** page.bitsPerSample - 1);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(data[i] * scale);
}

export async function readTiffRegion(
  file: BoundedFile,
  frame: number,
  requested: Region | undefined,
  maxPixels = DEFAULT_MAX_PIXELS,
  level = 0,
): Promise<DecodedImage> {
  const page = rowStrips(await openPage(file, frame, level));
  const region = requested ?? { x: 0, y: 0, width: page.width, height: page.height };
  checkRegion(file.path, region, page.width, page.height);
  checkPixelBudget(file.path, region.width, region.height, page.samplesPerPixel, maxPixels);
  // A compressed strip or tile is decoded whole, even for a small window: it must fit the budget too.
  const blockSamples = page.planar === 2 ? 1 : page.samplesPerPixel;
  if (page.blockWidth * page.blockHeight * blockSamples > maxPixels) {
    throw fileError('TOO_LARGE', file.path, `one ${page.tiled ? 'tile' : 'strip'} of ${page.blockWidth} x ${page.blockHeight} `
      + `x ${blockSamples} samples exceeds the limit of ${maxPixels}`);
  }

  const indices = blocksFor(page, region);
  const stored = await readStoredBlocks(file, page, indices);
  const kind = page.tiled ? 'tile' : 'strip';
  const decode = (index: number): ArrayBuffer => {
    const bytes = stored.get(index);
    if (bytes === undefined) throw corrupt(file.path, `${kind} ${index} of page ${page.index} was not expected`);
    try {
      return decodeBlock(page, index, bytes);
    } catch (error) {
      const reason = error instanceof BlockError ? error.message : `cannot be decoded (${(error as Error).message})`;
      throw corrupt(file.path, `${kind} ${index} of page ${page.index} ${reason}`);
    }
  };
  const data = needsGeotiff(page)
    ? await assembleWithGeotiff(page, region, decode)
    : assembleChunky(page, region, indices, decode);
  scaleSubByte(page, data);
  return {
    width: region.width,
    height: region.height,
    channels: page.samplesPerPixel,
    frames: 1,
    dtype: page.dtype,
    data,
    colorSpace: page.colorSpace,
    alpha: page.alpha,
    ...(page.pixelSize ? { pixelSize: page.pixelSize } : {}),
  };
}
