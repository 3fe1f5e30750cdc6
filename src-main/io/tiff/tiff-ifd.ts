import { TextDecoder } from 'node:util';
import type { BoundedFile } from '../bounded-file';
import { corrupt } from '../io-errors';

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfdOffset: number;
}

/** Tag values: numbers for numeric types (a RATIONAL becomes one number, num / den), text for ASCII. */
export type TagValue = number[] | string;

export interface Ifd {
  offset: number;
  tags: Map<number, TagValue>;
}

/** Byte size of each TIFF field type; types not listed are skipped as the spec asks readers to do. */
const TYPE_SIZES: Record<number, number> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8,
};

const ASCII_TYPE = 2;
/** Text tags longer than this are skipped when reading pages (OME-XML can be megabytes). */
const MAX_ASCII_BYTES = 64 * 1024;
/** The first page's description is read up to this size for a stack's axes (OME-XML of large plates). */
export const MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024;
const MAX_PAGES = 1_000_000;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readOffset(data: DataView, at: number, header: TiffHeader, path: string): number {
  if (!header.bigTiff) return data.getUint32(at, header.littleEndian);
  const value = data.getBigUint64(at, header.littleEndian);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(path, `offset ${value} is not a usable file position`);
  return Number(value);
}

export async function readTiffHeader(file: BoundedFile): Promise<TiffHeader> {
  const bytes = await file.readUpTo(0, 16);
  if (bytes.length < 8) throw corrupt(file.path, `too short for a TIFF header (${bytes.length} bytes)`);
  const order = String.fromCharCode(bytes[0], bytes[1]);
  if (order !== 'II' && order !== 'MM') throw corrupt(file.path, 'not a TIFF file (bad byte-order mark)');
  const littleEndian = order === 'II';
  const data = view(bytes);
  const magic = data.getUint16(2, littleEndian);
  if (magic === 42) {
    const header = { littleEndian, bigTiff: false, firstIfdOffset: data.getUint32(4, littleEndian) };
    if (header.firstIfdOffset === 0) throw corrupt(file.path, 'TIFF header points to no image directory');
    return header;
  }
  if (magic === 43) {
    if (bytes.length < 16) throw corrupt(file.path, 'too short for a BigTIFF header');
    if (data.getUint16(4, littleEndian) !== 8) throw corrupt(file.path, 'BigTIFF header with an offset size other than 8');
    const header = { littleEndian, bigTiff: true, firstIfdOffset: 0 };
    header.firstIfdOffset = readOffset(data, 8, header, file.path);
    if (header.firstIfdOffset === 0) throw corrupt(file.path, 'TIFF header points to no image directory');
    return header;
  }
  throw corrupt(file.path, `not a TIFF file (version ${magic}, expected 42 or 43)`);
}

interface IfdLayout {
  entryCount: number;
  entriesStart: number;
  nextPointerAt: number;
  byteLength: number;
}

async function ifdLayout(file: BoundedFile, header: TiffHeader, offset: number, index: number): Promise<IfdLayout> {
  const countSize = header.bigTiff ? 8 : 2;
  const entrySize = header.bigTiff ? 20 : 12;
  const pointerSize = header.bigTiff ? 8 : 4;
  const countBytes = await file.read(offset, countSize, `image directory ${index}`);
  const data = view(countBytes);
  const entryCount = header.bigTiff
    ? readOffset(data, 0, header, file.path)
    : data.getUint16(0, header.littleEndian);
  if (entryCount === 0) throw corrupt(file.path, `image directory ${index} is empty`);
  const byteLength = countSize + entryCount * entrySize + pointerSize;
  file.checkRange(offset, byteLength, `image directory ${index}`);
  return {
    entryCount,
    entriesStart: offset + countSize,
    nextPointerAt: offset + countSize + entryCount * entrySize,
    byteLength,
  };
}

async function nextIfdOffset(file: BoundedFile, header: TiffHeader, layout: IfdLayout): Promise<number> {
  const bytes = await file.read(layout.nextPointerAt, header.bigTiff ? 8 : 4, 'next-directory pointer');
  return readOffset(view(bytes), 0, header, file.path);
}

/**
 * File offsets of the pages (IFDs) of the main chain, up to and including page `lastIndex`.
 * Only entry counts and next-pointers are read, so counting the frames of a long stack stays cheap.
 */
export async function pageOffsets(file: BoundedFile, header: TiffHeader, lastIndex = Infinity): Promise<number[]> {
  const offsets: number[] = [];
  const seen = new Set<number>();
  let offset = header.firstIfdOffset;
  while (offset !== 0 && offsets.length <= lastIndex) {
    if (seen.has(offset)) throw corrupt(file.path, `image directories form a loop at byte ${offset}`);
    if (offsets.length >= MAX_PAGES) throw corrupt(file.path, `more than ${MAX_PAGES} pages`);
    seen.add(offset);
    const layout = await ifdLayout(file, header, offset, offsets.length);
    offsets.push(offset);
    offset = await nextIfdOffset(file, header, layout);
  }
  return offsets;
}

function decodeValues(data: DataView, at: number, type: number, count: number, header: TiffHeader, path: string): number[] {
  const le = header.littleEndian;
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 1: case 7: values[i] = data.getUint8(at + i); break;
      case 6: values[i] = data.getInt8(at + i); break;
      case 3: values[i] = data.getUint16(at + 2 * i, le); break;
      case 8: values[i] = data.getInt16(at + 2 * i, le); break;
      case 4: case 13: values[i] = data.getUint32(at + 4 * i, le); break;
      case 9: values[i] = data.getInt32(at + 4 * i, le); break;
      case 11: values[i] = data.getFloat32(at + 4 * i, le); break;
      case 12: values[i] = data.getFloat64(at + 8 * i, le); break;
      case 5: values[i] = data.getUint32(at + 8 * i, le) / data.getUint32(at + 8 * i + 4, le); break;
      case 10: values[i] = data.getInt32(at + 8 * i, le) / data.getInt32(at + 8 * i + 4, le); break;
      case 16: case 18: {
        const value = data.getBigUint64(at + 8 * i, le);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(path, `tag value ${value} is too large`);
        values[i] = Number(value);
        break;
      }
      case 17: values[i] = Number(data.getBigInt64(at + 8 * i, le)); break;
      default: throw corrupt(path, `unknown field type ${type}`);
    }
  }
  return values;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** TIFF says ASCII, writers use UTF-8 or Latin-1 (ImageJ's "µm"): try the strict one first. */
function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = Buffer.from(bytes).toString('latin1');
  }
  return text.replace(/\0+$/, '');
}

/** Reads the IFD at `offset`, decoding only the tags in `wanted` (others are skipped unread). */
export async function readIfd(
  file: BoundedFile,
  header: TiffHeader,
  offset: number,
  index: number,
  wanted: ReadonlySet<number>,
  maxTextBytes = MAX_ASCII_BYTES,
): Promise<Ifd> {
  const layout = await ifdLayout(file, header, offset, index);
  const body = view(await file.read(layout.entriesStart, layout.byteLength - (layout.entriesStart - offset),
    `image directory ${index}`));
  const entrySize = header.bigTiff ? 20 : 12;
  const inlineSize = header.bigTiff ? 8 : 4;
  const tags = new Map<number, TagValue>();
  for (let e = 0; e < layout.entryCount; e++) {
    const at = e * entrySize;
    const tag = body.getUint16(at, header.littleEndian);
    if (!wanted.has(tag) || tags.has(tag)) continue;
    const type = body.getUint16(at + 2, header.littleEndian);
    const typeSize = TYPE_SIZES[type];
    if (typeSize === undefined) continue;
    const count = header.bigTiff ? readOffset(body, at + 4, header, file.path) : body.getUint32(at + 4, header.littleEndian);
    const valueAt = at + (header.bigTiff ? 12 : 8);
    const byteLength = count * typeSize;
    if (count === 0) continue;
    if (type === ASCII_TYPE && byteLength > maxTextBytes) continue;
    let data: DataView;
    let dataAt: number;
    if (byteLength <= inlineSize) {
      data = body;
      dataAt = valueAt;
    } else {
      const valueOffset = readOffset(body, valueAt, header, file.path);
      data = view(await file.read(valueOffset, byteLength, `value of tag ${tag} in image directory ${index}`));
      dataAt = 0;
    }
    if (type === ASCII_TYPE) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset + dataAt, byteLength);
      tags.set(tag, decodeText(bytes));
    } else {
      tags.set(tag, decodeValues(data, dataAt, type, count, header, file.path));
    }
  }
  return { offset, tags };
}
