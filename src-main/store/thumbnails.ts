import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { ImageRecord, Thumbnail } from '../../src-shared/contract/records';
import { FIRST_PLANE, isFirstPlane, planeSelection, type ImagePlane } from '../../src-shared/imaging/image-plane';
import { computePercentileNormalization } from '../../src-shared/imaging/normalization';
import type { DecodedImage } from '../io/image-types';
import { readImagePlane } from '../io/read-plane';
import { storedLevelFor } from '../io/pyramid-levels';
import type { ImageIo } from './image-io';

/** Largest image (width x height x channels) decoded for a thumbnail. */
const THUMBNAIL_MAX_SAMPLES = 8192 * 8192 * 4;

export function thumbnailSize(width: number, height: number, size: number): { width: number; height: number } {
  const scale = Math.min(1, size / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The cache file of a thumbnail: keyed by content hash, so a changed file gets a new one, and by plane. */
export function thumbnailPath(cacheDir: string, image: Pick<ImageRecord, 'id' | 'contentHash'>, size: number, plane: ImagePlane = FIRST_PLANE): string {
  const at = isFirstPlane(plane) ? '' : `-c${plane.c ?? 'all'}z${plane.z}t${plane.t}`;
  return path.join(cacheDir, 'thumbnails', `${image.id}-${image.contentHash.slice(0, 16)}-${size}${at}.png`);
}

/**
 * Box-filtered, contrast-stretched RGBA pixels of a decoded frame: the shown channels (gray, or
 * RGB) are stretched between their 0.5 and 99.5 percentiles, so that narrow-range 16-bit data and
 * dim fluorescence are visible; colour images keep their hues (one range for all three channels).
 */
export function renderThumbnail(image: DecodedImage, size: number): { width: number; height: number; rgba: Uint8Array; gray: boolean } {
  const { width: tw, height: th } = thumbnailSize(image.width, image.height, size);
  const colour = image.colorSpace === 'rgb' && image.channels >= 3;
  const shown = colour ? 3 : 1;
  // One range for all shown channels keeps hues; dim fluorescence and 16-bit data become visible.
  const params = computePercentileNormalization(shownSamples(image, shown), 0.5, 99.5);
  const low = params.low;
  const high = params.high > params.low ? params.high : params.low + 1;
  const scale = 255 / (high - low);
  const rgba = new Uint8Array(tw * th * 4);
  const sums = new Float64Array(shown);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * image.height) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * image.height) / th));
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * image.width) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * image.width) / tw));
      sums.fill(0);
      for (let y = y0; y < y1; y++) {
        let i = (y * image.width + x0) * image.channels;
        for (let x = x0; x < x1; x++, i += image.channels) for (let c = 0; c < shown; c++) sums[c] += image.data[i + c];
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (ty * tw + tx) * 4;
      for (let c = 0; c < 3; c++) {
        const v = (sums[colour ? c : 0] / n - low) * scale;
        rgba[o + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
      rgba[o + 3] = 255;
    }
  }
  return { width: tw, height: th, rgba, gray: !colour };
}

/** The samples shown (gray, or red/green/blue without alpha), for the contrast range. */
function shownSamples(image: DecodedImage, shown: number): DecodedImage['data'] | Float32Array {
  if (image.channels === shown) return image.data;
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels * shown);
  for (let i = 0; i < pixels; i++) for (let c = 0; c < shown; c++) out[i * shown + c] = image.data[i * image.channels + c];
  return out;
}

/** Gray thumbnails are written as 8-bit gray PNG (a third of the bytes of RGB). */
function encodePng(width: number, height: number, rgba: Uint8Array, gray: boolean): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: gray ? 0 : 2 }));
}

/** The thumbnail of an image at a plane (its data set's), from the cache or made (and cached) now. */
export async function loadThumbnail(io: ImageIo, cacheDir: string, image: ImageRecord, size: number, plane: ImagePlane = FIRST_PLANE): Promise<Thumbnail> {
  const file = thumbnailPath(cacheDir, image, size, plane);
  const { width, height } = thumbnailSize(image.width, image.height, size);
  try {
    return { imageId: image.id, width, height, mime: 'image/png', data: new Uint8Array(readFileSync(file)) };
  } catch {
    // Not cached yet.
  }
  // A pyramid's stored level decodes a fraction of the pixels (levels are largest first); other planes are read as chosen.
  const level = /\.tiff?$/i.test(image.path) ? storedLevelFor((await io.readImageMetadata(image.path)).levels, size) : 0;
  const decoded = isFirstPlane(plane)
    ? await io.readImage(image.path, { frame: 0, level, maxPixels: THUMBNAIL_MAX_SAMPLES })
    : (await readImagePlane(image.path, { ...planeSelection(plane), maxPixels: THUMBNAIL_MAX_SAMPLES }, io)).image;
  const rendered = renderThumbnail(decoded, size);
  const data = encodePng(rendered.width, rendered.height, rendered.rgba, rendered.gray);
  // Write then rename, so a reader never sees half a PNG.
  const partial = `${file}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(partial, data);
    renameSync(partial, file);
  } catch {
    // The cache is an optimisation: a read-only or full workspace still gets its thumbnail,
    // and a half-written file does not stay behind taking space.
    try {
      unlinkSync(partial);
    } catch {
      // Never created.
    }
  }
  return { imageId: image.id, width: rendered.width, height: rendered.height, mime: 'image/png', data };
}
