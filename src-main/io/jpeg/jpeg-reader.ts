import jpeg from 'jpeg-js';
import type { BoundedFile } from '../bounded-file';
import type { DecodedImage, ImageMetadata, PixelSize } from '../image-types';
import { corrupt, fileError, unsupported } from '../io-errors';
import { pixelSizeFromDensity } from '../pixel-size';
import { checkPixelBudget } from '../region';

/*
 * JPEG through jpeg-js: pure JavaScript, so nothing native to download or rebuild for Electron. It decodes
 * 8-bit baseline and progressive Huffman JPEG, which is what cameras and slide exports write; the marker
 * walk below refuses the rest (12-bit, lossless, arithmetic) with UNSUPPORTED before jpeg-js sees it.
 */

interface JpegHeader {
  width: number;
  height: number;
  components: number;
  /** Byte offset of the first start-of-scan marker. */
  scanOffset: number;
  pixelSize?: PixelSize;
}

/** SOF markers jpeg-js decodes: baseline, extended sequential, progressive (all Huffman). */
const DECODABLE_SOF = new Set([0xc0, 0xc1, 0xc2]);
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

async function readJpegHeader(file: BoundedFile): Promise<JpegHeader> {
  const path = file.path;
  const soi = await file.readUpTo(0, 2);
  if (soi.length < 2 || soi[0] !== 0xff || soi[1] !== 0xd8) throw corrupt(path, 'not a JPEG file');
  let offset = 2;
  let frame: Omit<JpegHeader, 'scanOffset' | 'pixelSize'> | undefined;
  let pixelSize: PixelSize | undefined;
  for (;;) {
    if (offset + 4 > file.size) throw corrupt(path, 'JPEG is truncated (it ends before its image data)');
    const head = await file.read(offset, 4, 'JPEG marker');
    if (head[0] !== 0xff) throw corrupt(path, `JPEG marker expected at byte ${offset}`);
    const marker = head[1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9) throw corrupt(path, 'JPEG ends before its image data');
    const length = (head[2] << 8) | head[3];
    if (length < 2) throw corrupt(path, `JPEG segment at byte ${offset} has length ${length}`);
    if (marker === 0xda) {
      if (!frame) throw corrupt(path, 'JPEG scan before its frame header');
      return { ...frame, scanOffset: offset, ...(pixelSize ? { pixelSize } : {}) };
    }
    if (offset + 2 + length > file.size) throw corrupt(path, `JPEG is truncated (segment at byte ${offset} runs past the end)`);
    const body = await file.read(offset + 4, length - 2, 'JPEG segment');
    if (DECODABLE_SOF.has(marker) || OTHER_SOF.has(marker)) {
      if (body.length < 6) throw corrupt(path, 'JPEG frame header is too short');
      if (OTHER_SOF.has(marker)) {
        throw unsupported(path, `JPEG process SOF${marker - 0xc0} (lossless, hierarchical or arithmetic) is not supported`);
      }
      const precision = body[0];
      if (precision !== 8) throw unsupported(path, `${precision}-bit JPEG is not supported`);
      const height = (body[1] << 8) | body[2];
      const width = (body[3] << 8) | body[4];
      const components = body[5];
      if (width === 0 || height === 0) throw unsupported(path, 'JPEG without its height in the frame header');
      if (components !== 1 && components !== 3 && components !== 4) {
        throw unsupported(path, `JPEG with ${components} components is not supported`);
      }
      frame = { width, height, components };
    } else if (marker === 0xe0 && body.length >= 12 && String.fromCharCode(...body.subarray(0, 5)) === 'JFIF\0') {
      const units = body[7];
      if (units === 2) pixelSize = pixelSizeFromDensity((body[8] << 8) | body[9], (body[10] << 8) | body[11], 'cm');
    }
    offset += 2 + length;
  }
}

function channelsOf(header: JpegHeader): number {
  return header.components === 1 ? 1 : 3;
}

export async function readJpegMetadata(file: BoundedFile): Promise<ImageMetadata> {
  const header = await readJpegHeader(file);
  const channels = channelsOf(header);
  return {
    width: header.width,
    height: header.height,
    frames: 1,
    channels,
    bitDepth: 8,
    dtype: 'uint8',
    format: 'jpeg',
    compression: 'jpeg',
    tiled: false,
    bigTiff: false,
    colorSpace: channels === 3 ? 'rgb' : 'gray',
    alpha: false,
    ...(header.pixelSize ? { pixelSize: header.pixelSize } : {}),
    fileSize: file.size,
  };
}

/** In entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so FF D9 after the scan is the real end. */
function hasEndMarker(bytes: Uint8Array, from: number): boolean {
  for (let i = bytes.length - 2; i >= from; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

export async function readJpeg(file: BoundedFile, maxPixels: number): Promise<DecodedImage> {
  const header = await readJpegHeader(file);
  const channels = channelsOf(header);
  checkPixelBudget(file.path, header.width, header.height, channels, maxPixels);
  const bytes = await file.read(0, file.size, 'JPEG data');
  if (!hasEndMarker(bytes, header.scanOffset)) throw corrupt(file.path, 'JPEG is truncated (no end-of-image marker)');
  const pixels = header.width * header.height;
  let decoded: { data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: Math.ceil(pixels / 1e6) + 1,
      // Component planes plus the RGB output, with room for block padding.
      maxMemoryUsageInMB: Math.ceil((pixels * (header.components + 3) * 1.5) / 2 ** 20) + 64,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/limit exceeded|allocate enough memory/.test(message)) {
      throw fileError('TOO_LARGE', file.path, `JPEG needs more memory than allowed (${message})`);
    }
    throw corrupt(file.path, `JPEG data is damaged (${message})`);
  }
  let data = decoded.data;
  if (channels === 1) {
    // jpeg-js expands gray to RGB; keep one channel.
    const gray = new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) gray[i] = data[i * 3];
    data = gray;
  }
  return {
    width: header.width,
    height: header.height,
    channels,
    frames: 1,
    dtype: 'uint8',
    data,
    colorSpace: channels === 3 ? 'rgb' : 'gray',
    alpha: false,
    ...(header.pixelSize ? { pixelSize: header.pixelSize } : {}),
  };
}
