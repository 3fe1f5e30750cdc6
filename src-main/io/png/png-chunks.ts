import { corrupt, unsupported } from '../io-errors';
import type { PixelSize } from '../image-types';
import { pixelSizeFromDensity } from '../pixel-size';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What the chunks before the image data say about a PNG. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  /** Palette entries as RGB triples (color type 3). */
  palette?: Uint8Array;
  /** A tRNS chunk is present. */
  transparency: boolean;
  pixelSize?: PixelSize;
}

export interface PngChunk {
  type: string;
  /** Byte offset of the chunk (its length field) in the file. */
  offset: number;
  length: number;
}

/** Reads `length` bytes at `offset` (a file or an in-memory buffer). */
export type ByteSource = (offset: number, length: number) => Promise<Uint8Array>;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const VALID_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Samples per pixel as stored (palette: one index). */
export function storedSamples(colorType: number): number {
  return { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType] ?? 0;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function parseIhdr(path: string, data: Uint8Array): Omit<PngHeader, 'transparency'> {
  if (data.length !== 13) throw corrupt(path, `IHDR chunk has ${data.length} bytes, expected 13`);
  const width = u32(data, 0);
  const height = u32(data, 4);
  const [bitDepth, colorType, compression, filter, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw corrupt(path, `PNG size ${width} x ${height} is invalid`);
  }
  if (!VALID_DEPTHS[colorType]?.includes(bitDepth)) {
    throw corrupt(path, `PNG color type ${colorType} with bit depth ${bitDepth} is invalid`);
  }
  if (compression !== 0 || filter !== 0) throw unsupported(path, 'PNG compression/filter method other than 0');
  if (interlace > 1) throw corrupt(path, `PNG interlace method ${interlace} is invalid`);
  return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

/** Chunks that say something the metadata reports; others are skipped unread when listing folders. */
const METADATA_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IEND']);

/**
 * How far to walk: 'metadata' stops at the first IDAT; 'structure' lists every chunk up to IEND but reads
 * (and CRC-checks) only the chunks metadata needs; 'full' reads and CRC-checks every chunk.
 */
export type WalkMode = 'metadata' | 'structure' | 'full';

/** Walks the chunk list, checking each length against the file and the CRC of every chunk it reads. */
export async function walkPngChunks(
  path: string,
  fileSize: number,
  read: ByteSource,
  mode: WalkMode,
): Promise<{ header: PngHeader; chunks: PngChunk[] }> {
  const signature = await read(0, Math.min(8, fileSize));
  if (signature.length < 8 || PNG_SIGNATURE.some((b, i) => signature[i] !== b)) throw corrupt(path, 'not a PNG file');
  const chunks: PngChunk[] = [];
  let header: Omit<PngHeader, 'transparency'> | undefined;
  let palette: Uint8Array | undefined;
  let transparency = false;
  let pixelSize: PixelSize | undefined;
  let offset = 8;
  for (;;) {
    if (offset + 12 > fileSize) throw corrupt(path, `PNG truncated at byte ${offset} (no IEND chunk)`);
    const head = await read(offset, 8);
    const length = u32(head, 0);
    const type = String.fromCharCode(head[4], head[5], head[6], head[7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw corrupt(path, `invalid PNG chunk type at byte ${offset}`);
    if (length > 0x7fffffff || offset + 12 + length > fileSize) {
      throw corrupt(path, `PNG chunk ${type} at byte ${offset} runs past the end of the file (truncated)`);
    }
    if (chunks.length === 0 && type !== 'IHDR') throw corrupt(path, 'PNG does not start with an IHDR chunk');
    chunks.push({ type, offset, length });
    if (mode === 'metadata' && type === 'IDAT') break;
    if (mode !== 'full' && !METADATA_CHUNKS.has(type)) {
      offset += 12 + length;
      continue;
    }
    const full = await read(offset + 4, length + 8);
    const expectedCrc = u32(full, length + 4);
    if (crc32(full.subarray(0, length + 4)) !== expectedCrc) throw corrupt(path, `PNG chunk ${type} has a bad CRC`);
    const data = full.subarray(4, 4 + length);
    if (type === 'IHDR') header = parseIhdr(path, data);
    else if (type === 'PLTE') palette = data.slice();
    else if (type === 'tRNS') transparency = true;
    else if (type === 'pHYs' && length === 9 && data[8] === 1) {
      pixelSize = pixelSizeFromDensity(u32(data, 0), u32(data, 4), 'm');
    } else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (mode !== 'metadata' && chunks[chunks.length - 1]?.type !== 'IEND') throw corrupt(path, 'PNG has no IEND chunk');
  if (!header) throw corrupt(path, 'PNG has no IHDR chunk');
  if (!chunks.some((c) => c.type === 'IDAT')) throw corrupt(path, 'PNG has no image data (IDAT)');
  if (header.colorType === 3 && (!palette || palette.length % 3 !== 0 || palette.length === 0)) {
    throw corrupt(path, 'palette PNG without a valid PLTE chunk');
  }
  return {
    header: { ...header, ...(palette ? { palette } : {}), transparency, ...(pixelSize ? { pixelSize } : {}) },
    chunks,
  };
}

/** True when every palette entry is a shade of gray, so the image decodes to one channel. */
export function isGrayPalette(palette: Uint8Array): boolean {
  for (let i = 0; i < palette.length; i += 3) {
    if (palette[i] !== palette[i + 1] || palette[i] !== palette[i + 2]) return false;
  }
  return true;
}

/** Channels of the decoded image: palettes are expanded, tRNS on gray/RGB is ignored. */
export function decodedChannels(header: PngHeader): number {
  if (header.colorType === 3) {
    if (header.transparency) return 4;
    return header.palette && isGrayPalette(header.palette) ? 1 : 3;
  }
  return storedSamples(header.colorType);
}

const ADAM7 = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

/** Bytes the zlib stream must inflate to: filter byte + packed row, for every row of every pass. */
export function inflatedSize(header: PngHeader): number {
  const bitsPerPixel = storedSamples(header.colorType) * header.bitDepth;
  const rowBytes = (w: number) => 1 + Math.ceil((w * bitsPerPixel) / 8);
  if (!header.interlaced) return header.height * rowBytes(header.width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = header.width > x0 ? Math.ceil((header.width - x0) / dx) : 0;
    const h = header.height > y0 ? Math.ceil((header.height - y0) / dy) : 0;
    if (w > 0 && h > 0) total += h * rowBytes(w);
  }
  return total;
}
