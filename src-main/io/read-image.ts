import { withFile, type BoundedFile } from './bounded-file';
import { sniffFormat } from './image-format';
import {
  BYTES_PER_SAMPLE,
  DEFAULT_MAX_PIXELS,
  allocatePixels,
  type DecodedImage,
  type ImageMetadata,
  type ReadImageOptions,
  type ReadRegionOptions,
} from './image-types';
import { fileError, withImageErrors } from './io-errors';
import { readJpeg, readJpegMetadata } from './jpeg/jpeg-reader';
import { readPng, readPngMetadata } from './png/png-reader';
import { checkFrame, checkRegion, type Region } from './region';
import { readTiffMetadata, readTiffRegion } from './tiff/tiff-reader';

/**
 * Size, type and layout of an image without decoding pixels: for TIFF the header and IFDs, for PNG the
 * chunks before the image data, for JPEG the markers before the scan. Cheap enough for folders of thousands.
 */
export function readImageMetadata(path: string): Promise<ImageMetadata> {
  return withImageErrors(path, () => withFile(path, async (file) => {
    switch (await sniffFormat(file)) {
      case 'tiff':
        return readTiffMetadata(file);
      case 'png':
        return readPngMetadata(file);
      case 'jpeg':
        return readJpegMetadata(file);
    }
  }));
}

function checkMaxPixels(path: string, maxPixels: number): void {
  if (!(maxPixels > 0)) throw fileError('INVALID_ARGUMENT', path, `maxPixels ${maxPixels} must be positive`);
}

/** A window copied out of a whole decoded image (PNG and JPEG have no random access). */
function crop(image: DecodedImage, region: Region): DecodedImage {
  const { channels } = image;
  const data = allocatePixels(image.dtype, region.width * region.height * channels);
  const rowSamples = region.width * channels;
  for (let y = 0; y < region.height; y++) {
    const from = ((region.y + y) * image.width + region.x) * channels;
    data.set(image.data.subarray(from, from + rowSamples), y * rowSamples);
  }
  return { ...image, width: region.width, height: region.height, data };
}

async function decode(file: BoundedFile, frame: number, region: Region | undefined, maxPixels: number, level = 0): Promise<DecodedImage> {
  const format = await sniffFormat(file);
  if (format === 'tiff') return readTiffRegion(file, frame, region, maxPixels, level);
  if (frame !== 0) throw fileError('INVALID_ARGUMENT', file.path, `frame ${frame} does not exist (a ${format} has 1)`);
  if (level !== 0) throw fileError('INVALID_ARGUMENT', file.path, `level ${level} does not exist (a ${format} stores no reduced-resolution levels)`);
  const image = format === 'png' ? await readPng(file, maxPixels) : await readJpeg(file, maxPixels);
  if (!region) return image;
  checkRegion(file.path, region, image.width, image.height);
  return crop(image, region);
}

/**
 * Decodes one whole frame. Refuses images of more than `maxPixels` samples (width * height * channels)
 * with TOO_LARGE before any pixel buffer is allocated. Samples keep their type: 16-bit stays Uint16Array.
 */
export function readImage(path: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  return withImageErrors(path, async () => {
    const frame = options.frame ?? 0;
    const level = options.level ?? 0;
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
    checkFrame(path, frame);
    checkMaxPixels(path, maxPixels);
    if (!Number.isInteger(level) || level < 0) throw fileError('INVALID_ARGUMENT', path, `level ${level} must be a whole number >= 0`);
    return withFile(path, (file) => decode(file, frame, undefined, maxPixels, level));
  });
}

/**
 * Decodes a window of one frame. For TIFF only the strips or tiles the window touches are read and
 * decoded; PNG and JPEG are decoded whole (within `maxPixels`) and cropped.
 */
export function readImageRegion(path: string, options: ReadRegionOptions): Promise<DecodedImage> {
  return withImageErrors(path, async () => {
    const frame = options.frame ?? 0;
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
    checkFrame(path, frame);
    checkMaxPixels(path, maxPixels);
    const region = { x: options.x, y: options.y, width: options.width, height: options.height };
    return withFile(path, (file) => decode(file, frame, region, maxPixels));
  });
}

/** Bytes a decoded image of this shape occupies; lets callers budget memory from metadata alone. */
export function decodedByteLength(meta: Pick<ImageMetadata, 'width' | 'height' | 'channels' | 'dtype'>): number {
  return meta.width * meta.height * meta.channels * BYTES_PER_SAMPLE[meta.dtype];
}
