import { formatFromExtension } from './image-format';
import type { PixelSize } from './image-types';
import { fileError, fromFsError, withImageErrors } from './io-errors';
import { encodeGrayPng } from './png/png-writer';
import { encodeTiff } from './tiff/tiff-writer';
import { writeFileAtomically } from './write-atomically';

export interface WriteImageOptions {
  /** TIFF only; Deflate by default (ImageJ, Fiji, libtiff and tifffile all read it). */
  compression?: 'none' | 'deflate';
  /** Given in µm: written as ImageJ does for one-channel TIFFs (unit=micron, pixels per µm), else in pixels per centimetre. */
  pixelSize?: PixelSize;
}

/** Classic TIFF addresses 4 GiB; keep clear of it rather than write BigTIFF, which ImageJ opens poorly. */
const MAX_TIFF_BYTES = 0xffff0000;

function checkTiffSize(path: string, byteLength: number): void {
  if (byteLength > MAX_TIFF_BYTES) throw fileError('TOO_LARGE', path, `${byteLength} bytes of pixels exceed a classic TIFF`);
}

function checkShape(path: string, length: number, width: number, height: number, channels: number): void {
  const valid = [width, height, channels].every((v) => Number.isSafeInteger(v) && v >= 1);
  if (!valid || length !== width * height * channels) {
    throw fileError('INVALID_ARGUMENT', path,
      `data of length ${length} does not match ${width} x ${height} x ${channels}`);
  }
}

/**
 * Writes a label or class map as 8- or 16-bit gray (by the array type), TIFF or PNG by extension
 * (.tif/.tiff/.png). Both open in ImageJ with the values unchanged.
 */
export function writeLabelImage(
  path: string,
  data: Uint8Array | Uint16Array,
  width: number,
  height: number,
  options: WriteImageOptions = {},
): Promise<void> {
  return withImageErrors(path, async () => {
    if (!(data instanceof Uint8Array) && !(data instanceof Uint16Array)) {
      throw fileError('INVALID_ARGUMENT', path, 'label data must be a Uint8Array or Uint16Array');
    }
    checkShape(path, data.length, width, height, 1);
    const format = formatFromExtension(path);
    if (format === 'tiff') {
      checkTiffSize(path, data.byteLength);
      const sampleType = data instanceof Uint16Array ? 'uint16' : 'uint8';
      let max = 0;
      for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
      await writeFileAtomically(path, encodeTiff({
        width, height, channels: 1, sampleType, data, compression: options.compression ?? 'deflate',
        displayRange: { min: 0, max: Math.max(1, max) },
        ...(options.pixelSize ? { pixelSize: options.pixelSize } : {}),
      }));
    } else if (format === 'png') {
      await writeFileAtomically(path, encodeGrayPng(data, width, height));
    } else {
      throw fileError('UNSUPPORTED', path, 'label images are written as .tif, .tiff or .png');
    }
  });
}

/** Writes 32-bit float samples (probability maps), channels interleaved, as a TIFF. */
export function writeFloatTiff(
  path: string,
  data: Float32Array,
  width: number,
  height: number,
  channels = 1,
  options: WriteImageOptions = {},
): Promise<void> {
  return withImageErrors(path, async () => {
    if (!(data instanceof Float32Array)) throw fileError('INVALID_ARGUMENT', path, 'data must be a Float32Array');
    checkShape(path, data.length, width, height, channels);
    if (formatFromExtension(path) !== 'tiff') throw fileError('UNSUPPORTED', path, 'float images are written as .tif or .tiff');
    checkTiffSize(path, data.byteLength);
    await writeFileAtomically(path, encodeTiff({
      width, height, channels, sampleType: 'float32', data, compression: options.compression ?? 'deflate',
      ...(options.pixelSize ? { pixelSize: options.pixelSize } : {}),
    }));
  });
}
