import { deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from '../../src-main/io/png/png-chunks';
import { concat, type CorpusCase } from './corpus-case';
import type { Seed } from './corpus-seeds';
import { zlibBomb } from './deflate-bomb';

/*
 * Targeted PNG damage. Most edits rebuild the file with correct CRCs so that the damage reaches the
 * checks behind the CRC (sizes, bit depths, zlib, filters); separate cases break the CRCs themselves.
 */

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GB = 2 ** 30;

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** Byte position of the chunk's length field in the file it was read from. */
  at: number;
}

export function readChunks(bytes: Uint8Array): PngChunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) break;
    chunks.push({ type: String.fromCharCode(...bytes.subarray(at + 4, at + 8)), data: bytes.slice(at + 8, at + 8 + length), at });
    at += 12 + length;
  }
  return chunks;
}

export function chunk(type: string, data: Uint8Array, badCrc = false): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)) ^ (badCrc ? 0x5a5a5a5a : 0));
  return out;
}

export function assemble(chunks: { type: string; data: Uint8Array }[]): Uint8Array {
  return concat(PNG_SIGNATURE, ...chunks.map((c) => chunk(c.type, c.data)));
}

export function ihdr(width: number, height: number, bitDepth = 8, colorType = 0, interlace = 0, compression = 0, filter = 0): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data.set([bitDepth, colorType, compression, filter, interlace], 8);
  return data;
}

/** The seed's chunks with IHDR fields replaced (CRC recomputed). */
function withIhdr(chunks: PngChunk[], edit: (view: DataView, data: Uint8Array) => void): Uint8Array {
  return assemble(
    chunks.map((c) => {
      if (c.type !== 'IHDR') return c;
      const data = c.data.slice();
      edit(new DataView(data.buffer), data);
      return { type: c.type, data };
    }),
  );
}

/** The seed with its image data inflated, changed, and deflated again into one IDAT. */
function withImageData(chunks: PngChunk[], edit: (raw: Uint8Array) => Uint8Array): Uint8Array {
  const raw = new Uint8Array(inflateSync(concat(...chunks.filter((c) => c.type === 'IDAT').map((c) => c.data))));
  const idat = new Uint8Array(deflateSync(edit(raw)));
  const out: { type: string; data: Uint8Array }[] = [];
  for (const c of chunks) {
    if (c.type !== 'IDAT') out.push(c);
    else if (!out.some((o) => o.type === 'IDAT')) out.push({ type: 'IDAT', data: idat });
  }
  return assemble(out);
}

function withLengthField(bytes: Uint8Array, chunks: PngChunk[], type: string, length: number): Uint8Array {
  const target = chunks.find((c) => c.type === type);
  const out = bytes.slice();
  if (target) new DataView(out.buffer).setUint32(target.at, length >>> 0);
  return out;
}

function withCrcBroken(bytes: Uint8Array, chunks: PngChunk[], type: string): Uint8Array {
  const target = chunks.find((c) => c.type === type);
  const out = bytes.slice();
  if (target) out[target.at + 8 + target.data.length] ^= 0xff;
  return out;
}

const without = (chunks: PngChunk[], type: string) => assemble(chunks.filter((c) => c.type !== type));

function palettePng(entries: number, indexMax: number, extra: { type: string; data: Uint8Array }[] = [], withPalette = true): Uint8Array {
  const width = 16;
  const height = 8;
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x * 17 + y * 31) % (indexMax + 1);
  const plte = Uint8Array.from({ length: entries * 3 }, (_, i) => (i * 37) & 0xff);
  return assemble([
    { type: 'IHDR', data: ihdr(width, height, 8, 3) },
    ...(withPalette ? [{ type: 'PLTE', data: plte }] : []),
    ...extra,
    { type: 'IDAT', data: new Uint8Array(deflateSync(raw)) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

/** A small gray image whose image data inflates to `bytes` (valid rows first, then zeros). */
function idatBomb(width: number, height: number, bytes: number, interlace = 0): Uint8Array {
  const firstRows = new Uint8Array(Math.min(height, 4) * (width + 1)).map((_, i) => (i % (width + 1) === 0 ? 0 : i & 0xff));
  return assemble([
    { type: 'IHDR', data: ihdr(width, height, 8, 0, interlace) },
    { type: 'IDAT', data: zlibBomb(bytes, firstRows) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

function ancillaryBomb(type: 'zTXt' | 'iCCP', bytes: number): Uint8Array {
  const name = Uint8Array.from([...'Comment'].map((c) => c.charCodeAt(0)));
  const body = concat(name, Uint8Array.from([0, 0]), zlibBomb(bytes));
  const width = 8;
  const raw = new Uint8Array((width + 1) * 8);
  return assemble([
    { type: 'IHDR', data: ihdr(width, 8) },
    { type, data: body },
    { type: 'IDAT', data: new Uint8Array(deflateSync(raw)) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

interface PngMutation {
  family: string;
  label: string;
  make: (bytes: Uint8Array, chunks: PngChunk[]) => Uint8Array;
  /** Needs no seed (the file is built from scratch); made once. */
  standalone?: boolean;
  valid?: boolean;
  slow?: boolean;
}

const dims = (w: number, h: number) => (b: Uint8Array, c: PngChunk[]) =>
  withIhdr(c, (v) => {
    v.setUint32(0, w >>> 0);
    v.setUint32(4, h >>> 0);
  });
const ihdrByte = (index: number, value: number) => (b: Uint8Array, c: PngChunk[]) => withIhdr(c, (_v, d) => (d[index] = value));

const MUTATIONS: PngMutation[] = [
  { family: 'png-dimensions', label: 'w100000-h100000', make: dims(100000, 100000) },
  { family: 'png-dimensions', label: 'w0-h0', make: dims(0, 0) },
  { family: 'png-dimensions', label: 'w0', make: (b, c) => withIhdr(c, (v) => v.setUint32(0, 0)) },
  { family: 'png-dimensions', label: 'w-negative-int32', make: (b, c) => withIhdr(c, (v) => v.setInt32(0, -64)) },
  { family: 'png-dimensions', label: 'h-negative-int32', make: (b, c) => withIhdr(c, (v) => v.setInt32(4, -1)) },
  { family: 'png-dimensions', label: 'w-2e31', make: (b, c) => withIhdr(c, (v) => v.setUint32(0, 0x80000000)) },
  { family: 'png-dimensions', label: 'w1-h2e31-1', make: dims(1, 0x7fffffff) },
  { family: 'png-dimensions', label: 'w65536-h65536', make: dims(65536, 65536) },
  { family: 'png-dimensions', label: 'w16384-h16384', make: dims(16384, 16384) },
  { family: 'png-ihdr', label: 'depth3', make: ihdrByte(8, 3) },
  { family: 'png-ihdr', label: 'depth32', make: ihdrByte(8, 32) },
  { family: 'png-ihdr', label: 'depth0', make: ihdrByte(8, 0) },
  { family: 'png-ihdr', label: 'colortype1', make: ihdrByte(9, 1) },
  { family: 'png-ihdr', label: 'colortype5', make: ihdrByte(9, 5) },
  { family: 'png-ihdr', label: 'colortype7', make: ihdrByte(9, 7) },
  { family: 'png-ihdr', label: 'rgb-depth1', make: (b, c) => withIhdr(c, (_v, d) => d.set([1, 2], 8)) },
  { family: 'png-ihdr', label: 'palette-depth16', make: (b, c) => withIhdr(c, (_v, d) => d.set([16, 3], 8)) },
  { family: 'png-ihdr', label: 'compression1', make: ihdrByte(10, 1) },
  { family: 'png-ihdr', label: 'filter1', make: ihdrByte(11, 1) },
  { family: 'png-ihdr', label: 'interlace2', make: ihdrByte(12, 2) },
  { family: 'png-ihdr', label: 'interlace1-data-not', make: ihdrByte(12, 1) },
  { family: 'png-ihdr', label: 'ihdr-short', make: (b, c) => assemble(c.map((k) => (k.type === 'IHDR' ? { type: 'IHDR', data: k.data.subarray(0, 9) } : k))) },
  { family: 'png-ihdr', label: 'ihdr-long', make: (b, c) => assemble(c.map((k) => (k.type === 'IHDR' ? { type: 'IHDR', data: concat(k.data, new Uint8Array(7)) } : k))) },
  { family: 'png-crc', label: 'ihdr-crc', make: (b, c) => withCrcBroken(b, c, 'IHDR') },
  { family: 'png-crc', label: 'idat-crc', make: (b, c) => withCrcBroken(b, c, 'IDAT') },
  { family: 'png-crc', label: 'iend-crc', make: (b, c) => withCrcBroken(b, c, 'IEND') },
  { family: 'png-crc', label: 'idat-byte-flipped-crc-kept', make: (b, c) => {
    const out = b.slice();
    const idat = c.find((k) => k.type === 'IDAT');
    if (idat) out[idat.at + 8 + (idat.data.length >> 1)] ^= 0x10;
    return out;
  } },
  { family: 'png-chunks', label: 'ihdr-length-2e31', make: (b, c) => withLengthField(b, c, 'IHDR', 0x7fffffff) },
  { family: 'png-chunks', label: 'idat-length-2e31', make: (b, c) => withLengthField(b, c, 'IDAT', 0x7fffffff) },
  { family: 'png-chunks', label: 'idat-length-max', make: (b, c) => withLengthField(b, c, 'IDAT', 0xffffffff) },
  { family: 'png-chunks', label: 'idat-length-past-eof', make: (b, c) => withLengthField(b, c, 'IDAT', b.length) },
  { family: 'png-chunks', label: 'no-ihdr', make: (b, c) => without(c, 'IHDR') },
  { family: 'png-chunks', label: 'no-idat', make: (b, c) => without(c, 'IDAT') },
  { family: 'png-chunks', label: 'no-iend', make: (b, c) => without(c, 'IEND') },
  { family: 'png-chunks', label: 'idat-first', make: (b, c) => assemble([...c.filter((k) => k.type === 'IDAT'), ...c.filter((k) => k.type !== 'IDAT')]) },
  { family: 'png-chunks', label: 'two-ihdr', make: (b, c) => assemble([c[0], { type: 'IHDR', data: ihdr(9000, 9000) }, ...c.slice(1)]) },
  { family: 'png-chunks', label: 'idat-empty', make: (b, c) => assemble(c.map((k) => (k.type === 'IDAT' ? { type: 'IDAT', data: new Uint8Array(0) } : k))) },
  { family: 'png-chunks', label: 'bad-chunk-type', make: (b, c) => assemble([c[0], { type: '\u0000\u0001ab', data: new Uint8Array(4) }, ...c.slice(1)]) },
  { family: 'png-chunks', label: 'unknown-critical', make: (b, c) => assemble([c[0], { type: 'ABCD', data: new Uint8Array(4) }, ...c.slice(1)]) },
  { family: 'png-chunks', label: 'idat-one-byte-chunks', valid: true, make: (b, c) => {
    const data = concat(...c.filter((k) => k.type === 'IDAT').map((k) => k.data));
    const idats = Array.from(data, (byte) => ({ type: 'IDAT', data: Uint8Array.of(byte) }));
    return assemble([...c.filter((k) => k.type !== 'IDAT' && k.type !== 'IEND'), ...idats, { type: 'IEND', data: new Uint8Array(0) }]);
  } },
  { family: 'png-chunks', label: '50000-text-chunks', standalone: true, make: () => {
    const text = chunk('tEXt', Uint8Array.from([0x61, 0, 0x62]));
    const body = new Uint8Array(text.length * 50000);
    for (let i = 0; i < 50000; i++) body.set(text, i * text.length);
    return concat(PNG_SIGNATURE, chunk('IHDR', ihdr(4, 4)), body, chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(20)))), chunk('IEND', new Uint8Array(0)));
  } },
  { family: 'png-zlib', label: 'zlib-header-broken', make: (b, c) => {
    const chunks = c.map((k) => (k.type === 'IDAT' ? { type: 'IDAT', data: k.data.slice() } : k));
    const first = chunks.find((k) => k.type === 'IDAT');
    if (first) first.data[0] = 0x00;
    return assemble(chunks);
  } },
  { family: 'png-zlib', label: 'zlib-dictionary-flag', make: (b, c) => {
    const chunks = c.map((k) => (k.type === 'IDAT' ? { type: 'IDAT', data: k.data.slice() } : k));
    const first = chunks.find((k) => k.type === 'IDAT');
    if (first) first.data.set([0x78, 0xbb]);
    return assemble(chunks);
  } },
  { family: 'png-zlib', label: 'zlib-truncated', make: (b, c) => {
    const data = concat(...c.filter((k) => k.type === 'IDAT').map((k) => k.data));
    return assemble([...c.filter((k) => k.type !== 'IDAT' && k.type !== 'IEND'), { type: 'IDAT', data: data.subarray(0, data.length >> 1) }, { type: 'IEND', data: new Uint8Array(0) }]);
  } },
  { family: 'png-zlib', label: 'adler-wrong', make: (b, c) => {
    const data = concat(...c.filter((k) => k.type === 'IDAT').map((k) => k.data));
    data[data.length - 1] ^= 0xff;
    return assemble([...c.filter((k) => k.type !== 'IDAT' && k.type !== 'IEND'), { type: 'IDAT', data }, { type: 'IEND', data: new Uint8Array(0) }]);
  } },
  { family: 'png-filter', label: 'filter5', make: (b, c) => withImageData(c, (raw) => ((raw[0] = 5), raw)) },
  { family: 'png-filter', label: 'filter255-everywhere', make: (b, c) => withImageData(c, (raw) => raw.map((v, i) => (i % 7 === 0 ? 255 : v))) },
  { family: 'png-filter', label: 'data-half', make: (b, c) => withImageData(c, (raw) => raw.subarray(0, raw.length >> 1)) },
  { family: 'png-filter', label: 'data-one-byte', make: (b, c) => withImageData(c, () => new Uint8Array(1)) },
  { family: 'png-filter', label: 'data-extra-1mb', make: (b, c) => withImageData(c, (raw) => concat(raw, new Uint8Array(1 << 20))) },
  { family: 'png-palette', label: 'no-plte', standalone: true, make: () => palettePng(16, 15, [], false) },
  { family: 'png-palette', label: 'plte-empty', standalone: true, make: () => palettePng(0, 15) },
  { family: 'png-palette', label: 'plte-257', standalone: true, make: () => palettePng(257, 255) },
  { family: 'png-palette', label: 'plte-not-triplets', standalone: true, make: () => assemble(readChunks(palettePng(4, 3)).map((k) => (k.type === 'PLTE' ? { type: 'PLTE', data: k.data.subarray(0, 10) } : k))) },
  { family: 'png-palette', label: 'index-beyond-palette', standalone: true, make: () => palettePng(4, 255) },
  { family: 'png-palette', label: 'trns-longer-than-plte', standalone: true, make: () => palettePng(4, 3, [{ type: 'tRNS', data: new Uint8Array(300) }]) },
  { family: 'png-palette', label: 'valid-palette', standalone: true, valid: true, make: () => palettePng(16, 15) },
  { family: 'png-bomb', label: 'idat-64x64-inflates-2gb', standalone: true, make: () => idatBomb(64, 64, 2 * GB) },
  { family: 'png-bomb', label: 'idat-64x64-interlaced-inflates-1gb', standalone: true, make: () => idatBomb(64, 64, GB, 1) },
  { family: 'png-bomb', label: 'idat-4096-inflates-1gb', standalone: true, make: () => idatBomb(4096, 4096, GB) },
  { family: 'png-bomb', label: 'idat-16384-at-budget-inflates-2gb', standalone: true, slow: true, make: () => idatBomb(16384, 16384, 2 * GB) },
  { family: 'png-bomb', label: 'ztxt-inflates-1gb', standalone: true, make: () => ancillaryBomb('zTXt', GB) },
  { family: 'png-bomb', label: 'iccp-inflates-1gb', standalone: true, make: () => ancillaryBomb('iCCP', GB) },
];

/** Every targeted PNG case: seed-based ones on two seeds each (in turn), standalone ones once. */
export function pngCases(seeds: Seed[]): CorpusCase[] {
  const pngs = seeds.filter((s) => s.format === 'png').map((seed) => ({ seed, chunks: readChunks(seed.bytes) }));
  const cases: CorpusCase[] = [];
  MUTATIONS.forEach((m, index) => {
    const targets = m.standalone ? [undefined] : [pngs[index % pngs.length], pngs[(index + 1) % pngs.length]];
    targets.forEach((target, k) => {
      cases.push({
        family: m.family,
        label: `${m.label}-${k + 1}`,
        from: target?.seed.name ?? 'none',
        ext: '.png',
        valid: m.valid,
        slow: m.slow,
        make: () => m.make(target?.seed.bytes ?? new Uint8Array(0), target?.chunks ?? []),
      });
    });
  });
  return cases;
}
