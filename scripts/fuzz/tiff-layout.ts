import { deflateSync } from 'node:zlib';

/*
 * Building and locating the parts of TIFF files for the malformed-image corpus: a writer for the
 * shapes the app's own writer does not make (BigTIFF, big-endian, tiles, stacks), and a parser that
 * finds where each IFD, entry and value lies so that mutations can hit exact fields.
 */

export const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
export const SHORT = 3;
export const LONG = 4;
export const SSHORT = 8;
export const SLONG = 9;
export const LONG8 = 16;

export const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planarConfig: 284,
  predictor: 317,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  sampleFormat: 339,
} as const;

export interface TiffPage {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB), interleaved. */
  channels: 1 | 3;
  sampleType: 'uint8' | 'uint16' | 'float32';
  data: Uint8Array | Uint16Array | Float32Array;
  compression?: 'none' | 'deflate';
  /** Square tiles of this size (a multiple of 16); strips when absent. */
  tile?: number;
  rowsPerStrip?: number;
}

export interface TiffBuildOptions {
  bigTiff?: boolean;
  bigEndian?: boolean;
}

interface Entry {
  tag: number;
  type: number;
  values: number[];
}

const BYTES: Record<TiffPage['sampleType'], number> = { uint8: 1, uint16: 2, float32: 4 };

function encodeSamples(page: TiffPage, littleEndian: boolean): Uint8Array {
  const size = BYTES[page.sampleType];
  const out = new Uint8Array(page.data.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < page.data.length; i++) {
    const v = page.data[i];
    if (size === 1) view.setUint8(i, v);
    else if (size === 2) view.setUint16(2 * i, v, littleEndian);
    else view.setFloat32(4 * i, v, littleEndian);
  }
  return out;
}

/** The page's pixel blocks (strips or tiles) as stored, before compression. */
function rawBlocks(page: TiffPage, samples: Uint8Array): Uint8Array[] {
  const pixelBytes = page.channels * BYTES[page.sampleType];
  const rowBytes = page.width * pixelBytes;
  const blocks: Uint8Array[] = [];
  if (page.tile) {
    const t = page.tile;
    for (let ty = 0; ty < page.height; ty += t) {
      for (let tx = 0; tx < page.width; tx += t) {
        const block = new Uint8Array(t * t * pixelBytes);
        for (let y = 0; y < t && ty + y < page.height; y++) {
          const from = (ty + y) * rowBytes + tx * pixelBytes;
          const width = Math.min(t, page.width - tx) * pixelBytes;
          block.set(samples.subarray(from, from + width), y * t * pixelBytes);
        }
        blocks.push(block);
      }
    }
    return blocks;
  }
  const rows = page.rowsPerStrip ?? page.height;
  for (let y = 0; y < page.height; y += rows) blocks.push(samples.subarray(y * rowBytes, Math.min(page.height, y + rows) * rowBytes));
  return blocks;
}

function pageEntries(page: TiffPage, offsets: number[], counts: number[], big: boolean): Entry[] {
  const pointerType = big ? LONG8 : LONG;
  const format = page.sampleType === 'float32' ? 3 : 1;
  const entries: Entry[] = [
    { tag: TAG.width, type: LONG, values: [page.width] },
    { tag: TAG.height, type: LONG, values: [page.height] },
    { tag: TAG.bitsPerSample, type: SHORT, values: Array(page.channels).fill(8 * BYTES[page.sampleType]) },
    { tag: TAG.compression, type: SHORT, values: [page.compression === 'deflate' ? 8 : 1] },
    { tag: TAG.photometric, type: SHORT, values: [page.channels === 3 ? 2 : 1] },
    { tag: TAG.samplesPerPixel, type: SHORT, values: [page.channels] },
    { tag: TAG.planarConfig, type: SHORT, values: [1] },
    { tag: TAG.sampleFormat, type: SHORT, values: Array(page.channels).fill(format) },
  ];
  if (page.tile) {
    entries.push(
      { tag: TAG.tileWidth, type: LONG, values: [page.tile] },
      { tag: TAG.tileLength, type: LONG, values: [page.tile] },
      { tag: TAG.tileOffsets, type: pointerType, values: offsets },
      { tag: TAG.tileByteCounts, type: pointerType, values: counts },
    );
  } else {
    entries.push(
      { tag: TAG.stripOffsets, type: pointerType, values: offsets },
      { tag: TAG.rowsPerStrip, type: LONG, values: [page.rowsPerStrip ?? page.height] },
      { tag: TAG.stripByteCounts, type: pointerType, values: counts },
    );
  }
  return entries.sort((a, b) => a.tag - b.tag);
}

/** A valid TIFF (classic or BigTIFF, either byte order) holding the pages in order. */
export function buildTiff(pages: TiffPage[], options: TiffBuildOptions = {}): Uint8Array {
  const big = options.bigTiff ?? false;
  const le = !(options.bigEndian ?? false);
  const headerSize = big ? 16 : 8;
  const blocks = pages.map((page) => {
    const raw = rawBlocks(page, encodeSamples(page, le));
    return page.compression === 'deflate' ? raw.map((b) => new Uint8Array(deflateSync(b))) : raw;
  });
  let cursor = headerSize;
  const offsets = blocks.map((list) =>
    list.map((b) => {
      const at = cursor;
      cursor += b.length + (b.length & 1);
      return at;
    }),
  );
  const entrySize = big ? 20 : 12;
  const inlineBytes = big ? 8 : 4;
  const countBytes = big ? 8 : 2;
  const ifds = pages.map((page, p) => {
    const entries = pageEntries(page, offsets[p], blocks[p].map((b) => b.length), big);
    const start = cursor;
    cursor += countBytes + entries.length * entrySize + inlineBytes;
    const external = new Map<Entry, number>();
    for (const entry of entries) {
      const size = entry.values.length * TYPE_SIZE[entry.type];
      if (size > inlineBytes) {
        external.set(entry, cursor);
        cursor += size + (size & 1);
      }
    }
    return { start, entries, external };
  });
  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set(le ? [0x49, 0x49] : [0x4d, 0x4d]);
  view.setUint16(2, big ? 43 : 42, le);
  if (big) {
    view.setUint16(4, 8, le);
    view.setUint16(6, 0, le);
  }
  writePointer(view, big ? 8 : 4, ifds[0].start, big, le);
  blocks.forEach((list, p) => list.forEach((b, i) => out.set(b, offsets[p][i])));
  ifds.forEach((ifd, p) => {
    if (big) view.setBigUint64(ifd.start, BigInt(ifd.entries.length), le);
    else view.setUint16(ifd.start, ifd.entries.length, le);
    ifd.entries.forEach((entry, i) => {
      const at = ifd.start + countBytes + i * entrySize;
      view.setUint16(at, entry.tag, le);
      view.setUint16(at + 2, entry.type, le);
      if (big) view.setBigUint64(at + 4, BigInt(entry.values.length), le);
      else view.setUint32(at + 4, entry.values.length, le);
      const valueAt = big ? at + 12 : at + 8;
      const ext = ifd.external.get(entry);
      if (ext !== undefined) writePointer(view, valueAt, ext, big, le);
      const base = ext ?? valueAt;
      entry.values.forEach((v, k) => writeValue(view, base + k * TYPE_SIZE[entry.type], entry.type, v, le));
    });
    const next = p + 1 < ifds.length ? ifds[p + 1].start : 0;
    writePointer(view, ifd.start + countBytes + ifd.entries.length * entrySize, next, big, le);
  });
  return out;
}

function writePointer(view: DataView, at: number, value: number | bigint, big: boolean, le: boolean): void {
  if (big) view.setBigUint64(at, BigInt(value), le);
  else view.setUint32(at, Number(value), le);
}

/** Writes one value of `type` (signed types take negative numbers). */
export function writeValue(view: DataView, at: number, type: number, value: number | bigint, le: boolean): void {
  switch (TYPE_SIZE[type] ?? 4) {
    case 1:
      view.setUint8(at, Number(BigInt.asUintN(8, BigInt(value))));
      break;
    case 2:
      view.setUint16(at, Number(BigInt.asUintN(16, BigInt(value))), le);
      break;
    case 4:
      view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), le);
      break;
    default:
      view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), le);
  }
}

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Byte position of the entry itself. */
  at: number;
  /** Byte position of the first value (inline in the entry or elsewhere). */
  valueAt: number;
}

export interface TiffIfd {
  offset: number;
  entries: TiffEntry[];
  /** Byte position of this IFD's next-IFD pointer. */
  nextAt: number;
}

export interface TiffLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  /** Byte position of the header's first-IFD pointer. */
  firstIfdAt: number;
  ifds: TiffIfd[];
}

/** Where everything is in a (valid) TIFF; null when the header is not one. Follows at most 64 IFDs. */
export function readTiffLayout(bytes: Uint8Array): TiffLayout | null {
  if (bytes.length < 16) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = String.fromCharCode(bytes[0], bytes[1]);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const magic = view.getUint16(2, le);
  if (magic !== 42 && magic !== 43) return null;
  const big = magic === 43;
  const pointer = (at: number) => (big ? Number(view.getBigUint64(at, le)) : view.getUint32(at, le));
  const firstIfdAt = big ? 8 : 4;
  const ifds: TiffIfd[] = [];
  const seen = new Set<number>();
  let offset = pointer(firstIfdAt);
  const countBytes = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  while (offset !== 0 && !seen.has(offset) && ifds.length < 64 && offset + countBytes <= bytes.length) {
    seen.add(offset);
    const count = big ? Number(view.getBigUint64(offset, le)) : view.getUint16(offset, le);
    const nextAt = offset + countBytes + count * entrySize;
    if (nextAt + (big ? 8 : 4) > bytes.length) break;
    const entries: TiffEntry[] = [];
    for (let i = 0; i < count; i++) {
      const at = offset + countBytes + i * entrySize;
      const type = view.getUint16(at + 2, le);
      const n = big ? Number(view.getBigUint64(at + 4, le)) : view.getUint32(at + 4, le);
      const inlineAt = big ? at + 12 : at + 8;
      const size = n * (TYPE_SIZE[type] ?? 1);
      entries.push({ tag: view.getUint16(at, le), type, count: n, at, valueAt: size <= (big ? 8 : 4) ? inlineAt : pointer(inlineAt) });
    }
    ifds.push({ offset, entries, nextAt });
    offset = pointer(nextAt);
  }
  return { littleEndian: le, bigTiff: big, firstIfdAt, ifds };
}

/** A TIFF being damaged: the layout of the original, and writes that keep its byte order. */
export class TiffEditor {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(
    source: Uint8Array,
    readonly layout: TiffLayout,
  ) {
    this.bytes = source.slice();
    this.view = new DataView(this.bytes.buffer);
  }

  entry(tag: number, ifd = 0): TiffEntry | undefined {
    return this.layout.ifds[ifd]?.entries.find((e) => e.tag === tag);
  }

  /** Sets value `index` of `tag` (in its own type); false when the tag or value is not there. */
  setValue(tag: number, value: number | bigint, index = 0, ifd = 0): boolean {
    const e = this.entry(tag, ifd);
    const size = e ? TYPE_SIZE[e.type] : undefined;
    if (!e || size === undefined || index >= e.count) return false;
    const at = e.valueAt + index * size;
    if (at + size > this.bytes.length) return false;
    writeValue(this.view, at, e.type, value, this.layout.littleEndian);
    return true;
  }

  /** Rewrites an entry's tag, type or count field. */
  setField(tag: number, field: 'tag' | 'type' | 'count', value: number | bigint, ifd = 0): boolean {
    const e = this.entry(tag, ifd);
    if (!e) return false;
    const le = this.layout.littleEndian;
    if (field === 'tag') this.view.setUint16(e.at, Number(value), le);
    else if (field === 'type') this.view.setUint16(e.at + 2, Number(value), le);
    else if (this.layout.bigTiff) this.view.setBigUint64(e.at + 4, BigInt.asUintN(64, BigInt(value)), le);
    else this.view.setUint32(e.at + 4, Number(BigInt.asUintN(32, BigInt(value))), le);
    return true;
  }

  /** Writes a file pointer (4 bytes, or 8 in BigTIFF) at a byte position. */
  setPointer(at: number, value: number | bigint): void {
    if (this.layout.bigTiff) this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), this.layout.littleEndian);
    else this.view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), this.layout.littleEndian);
  }

  /** The count field of an IFD (2 bytes, or 8 in BigTIFF). */
  setEntryCount(ifd: number, value: number | bigint): void {
    const at = this.layout.ifds[ifd].offset;
    if (this.layout.bigTiff) this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), this.layout.littleEndian);
    else this.view.setUint16(at, Number(BigInt.asUintN(16, BigInt(value))), this.layout.littleEndian);
  }
}
