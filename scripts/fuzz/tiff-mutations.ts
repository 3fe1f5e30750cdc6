import { concat, type CorpusCase } from './corpus-case';
import type { Seed } from './corpus-seeds';
import { zlibBomb } from './deflate-bomb';
import { LONG, SHORT, SLONG, SSHORT, TAG, TiffEditor, readTiffLayout } from './tiff-layout';

/*
 * Targeted TIFF damage: each edit hits one field of the header, an IFD or an entry (found by parsing
 * the seed), so that every check a reader must make is exercised on purpose, not by luck.
 */

type Edit = (e: TiffEditor) => boolean | Uint8Array;

interface TiffMutation {
  family: string;
  label: string;
  edit: Edit;
  /** Which seeds it applies to (default: any). */
  want?: (e: TiffEditor, seed: Seed) => boolean;
  /** How many seeds to apply it to (default 2). */
  seeds?: number;
}

const GB = 2 ** 30;
const isTiled = (e: TiffEditor) => e.entry(TAG.tileOffsets) !== undefined;
const isStrips = (e: TiffEditor) => e.entry(TAG.stripOffsets) !== undefined;
const isDeflate = (e: TiffEditor) => {
  const c = e.entry(TAG.compression);
  return c !== undefined && e.view.getUint16(c.valueAt, e.layout.littleEndian) === 8;
};
const blockOffsets = (e: TiffEditor) => (isTiled(e) ? TAG.tileOffsets : TAG.stripOffsets);
const blockCounts = (e: TiffEditor) => (isTiled(e) ? TAG.tileByteCounts : TAG.stripByteCounts);

/** Retypes an entry to its signed twin and stores a negative value. */
function negative(tag: number, value: number): Edit {
  return (e) => {
    const entry = e.entry(tag);
    if (!entry || (entry.type !== SHORT && entry.type !== LONG)) return false;
    e.setField(tag, 'type', entry.type === SHORT ? SSHORT : SLONG);
    return e.setValue(tag, value);
  };
}

const set = (tag: number, value: number | bigint, index = 0): Edit => (e) => e.setValue(tag, value, index);
const setBoth = (width: number, height: number): Edit => (e) => e.setValue(TAG.width, width) && e.setValue(TAG.height, height);

/** Appends `payload` and points block 0 at it, with its byte count. */
function replaceBlock0(e: TiffEditor, payload: Uint8Array): Uint8Array {
  const at = e.bytes.length + (e.bytes.length & 1);
  const out = concat(e.bytes, new Uint8Array(at - e.bytes.length), payload);
  const grown = new TiffEditor(out, e.layout);
  grown.setValue(blockOffsets(e), at);
  grown.setValue(blockCounts(e), payload.length);
  return grown.bytes;
}

const MUTATIONS: TiffMutation[] = [
  // Dimensions: absurd, zero, negative through a signed type.
  { family: 'tiff-dimensions', label: 'w100000-h100000', edit: setBoth(100000, 100000) },
  { family: 'tiff-dimensions', label: 'w65536-h65536', edit: setBoth(65536, 65536) },
  { family: 'tiff-dimensions', label: 'w0-h0', edit: setBoth(0, 0) },
  { family: 'tiff-dimensions', label: 'w0', edit: set(TAG.width, 0) },
  { family: 'tiff-dimensions', label: 'h0', edit: set(TAG.height, 0) },
  { family: 'tiff-dimensions', label: 'w-max', edit: set(TAG.width, 0xffffffff) },
  { family: 'tiff-dimensions', label: 'h-max', edit: set(TAG.height, 0xffffffff) },
  { family: 'tiff-dimensions', label: 'w100000-h1', edit: setBoth(100000, 1) },
  { family: 'tiff-dimensions', label: 'w16384-h16384', edit: setBoth(16384, 16384) },
  { family: 'tiff-dimensions', label: 'w16385-h16384', edit: setBoth(16385, 16384) },
  { family: 'tiff-dimensions', label: 'w-negative-signed', edit: negative(TAG.width, -1) },
  { family: 'tiff-dimensions', label: 'h-negative-signed', edit: negative(TAG.height, -100000) },
  { family: 'tiff-dimensions', label: 'w-h-negative-signed', edit: (e) => negative(TAG.width, -64)(e) && negative(TAG.height, -48)(e) },
  // Samples.
  { family: 'tiff-samples', label: 'bits0', edit: set(TAG.bitsPerSample, 0) },
  { family: 'tiff-samples', label: 'bits3', edit: set(TAG.bitsPerSample, 3) },
  { family: 'tiff-samples', label: 'bits64', edit: set(TAG.bitsPerSample, 64) },
  { family: 'tiff-samples', label: 'bits255', edit: set(TAG.bitsPerSample, 255) },
  { family: 'tiff-samples', label: 'spp0', edit: set(TAG.samplesPerPixel, 0) },
  { family: 'tiff-samples', label: 'spp65535', edit: set(TAG.samplesPerPixel, 65535) },
  { family: 'tiff-samples', label: 'spp2', edit: set(TAG.samplesPerPixel, 2) },
  { family: 'tiff-samples', label: 'sampleformat5', edit: set(TAG.sampleFormat, 5) },
  { family: 'tiff-samples', label: 'sampleformat0', edit: set(TAG.sampleFormat, 0) },
  { family: 'tiff-samples', label: 'float-bits8', edit: set(TAG.sampleFormat, 3) },
  // Compression and interpretation.
  ...[0, 2, 3, 4, 5, 6, 7, 32773, 34712, 50000, 65535].map((code): TiffMutation => ({ family: 'tiff-compression', label: `code${code}`, edit: set(TAG.compression, code) })),
  { family: 'tiff-compression', label: 'predictor2-float', edit: (e) => e.setField(TAG.planarConfig, 'tag', 317) && e.setValue(317, 2) },
  { family: 'tiff-compression', label: 'predictor3-int', edit: (e) => e.setField(TAG.planarConfig, 'tag', 317) && e.setValue(317, 3) },
  { family: 'tiff-compression', label: 'predictor9', edit: (e) => e.setField(TAG.planarConfig, 'tag', 317) && e.setValue(317, 9) },
  ...[3, 5, 6, 32844, 99].map((p): TiffMutation => ({ family: 'tiff-photometric', label: `photometric${p}`, edit: set(TAG.photometric, p) })),
  { family: 'tiff-photometric', label: 'planar0', edit: set(TAG.planarConfig, 0) },
  { family: 'tiff-photometric', label: 'planar2', edit: set(TAG.planarConfig, 2) },
  { family: 'tiff-photometric', label: 'planar3', edit: set(TAG.planarConfig, 3) },
  // Strip and tile offsets and byte counts.
  { family: 'tiff-blocks', label: 'offset-past-eof', edit: (e) => e.setValue(blockOffsets(e), e.bytes.length + 1000) },
  { family: 'tiff-blocks', label: 'offset-max', edit: (e) => e.setValue(blockOffsets(e), e.layout.bigTiff ? 2n ** 63n - 1n : 0xffffffff) },
  { family: 'tiff-blocks', label: 'offset-zero', edit: (e) => e.setValue(blockOffsets(e), 0) },
  { family: 'tiff-blocks', label: 'offset-into-ifd', edit: (e) => e.setValue(blockOffsets(e), e.layout.ifds[0].offset) },
  { family: 'tiff-blocks', label: 'bytecount-zero', edit: (e) => e.setValue(blockCounts(e), 0) },
  { family: 'tiff-blocks', label: 'bytecount-max', edit: (e) => e.setValue(blockCounts(e), e.layout.bigTiff ? 2n ** 62n : 0xffffffff) },
  { family: 'tiff-blocks', label: 'bytecount-10x-file', edit: (e) => e.setValue(blockCounts(e), e.bytes.length * 10) },
  { family: 'tiff-blocks', label: 'bytecount-1', edit: (e) => e.setValue(blockCounts(e), 1) },
  { family: 'tiff-blocks', label: 'offsets-count-huge', edit: (e) => e.setField(blockOffsets(e), 'count', 0x3fffffff) },
  { family: 'tiff-blocks', label: 'bytecounts-count-huge', edit: (e) => e.setField(blockCounts(e), 'count', 0x3fffffff) },
  { family: 'tiff-blocks', label: 'bytecounts-count-0', edit: (e) => e.setField(blockCounts(e), 'count', 0) },
  { family: 'tiff-blocks', label: 'offsets-count-1', edit: (e) => e.setField(blockOffsets(e), 'count', 1) && e.setField(blockCounts(e), 'count', 1), want: (e) => (e.entry(blockOffsets(e))?.count ?? 0) > 2 },
  { family: 'tiff-blocks', label: 'rows-per-strip-0', edit: set(TAG.rowsPerStrip, 0), want: isStrips },
  { family: 'tiff-blocks', label: 'rows-per-strip-1', edit: set(TAG.rowsPerStrip, 1), want: isStrips },
  { family: 'tiff-blocks', label: 'rows-per-strip-max', edit: set(TAG.rowsPerStrip, 0xffffffff), want: isStrips },
  { family: 'tiff-blocks', label: 'tile-width-0', edit: set(TAG.tileWidth, 0), want: isTiled },
  { family: 'tiff-blocks', label: 'tile-width-7', edit: set(TAG.tileWidth, 7), want: isTiled },
  { family: 'tiff-blocks', label: 'tile-width-max', edit: set(TAG.tileWidth, 0xffffffff), want: isTiled },
  { family: 'tiff-blocks', label: 'tile-length-1', edit: set(TAG.tileLength, 1), want: isTiled },
  { family: 'tiff-blocks', label: 'tile-65536', edit: (e) => e.setValue(TAG.tileWidth, 65536) && e.setValue(TAG.tileLength, 65536), want: isTiled },
  // Required tags taken away (retagged to neighbours so the entries stay sorted).
  { family: 'tiff-tags', label: 'no-width', edit: (e) => e.setField(TAG.width, 'tag', 255) },
  { family: 'tiff-tags', label: 'no-height', edit: (e) => e.setField(TAG.height, 'tag', 256) && e.setField(TAG.width, 'tag', 255) },
  { family: 'tiff-tags', label: 'no-offsets', edit: (e) => e.setField(blockOffsets(e), 'tag', blockOffsets(e) - 1) },
  { family: 'tiff-tags', label: 'no-bytecounts', edit: (e) => e.setField(blockCounts(e), 'tag', blockCounts(e) + 1) },
  { family: 'tiff-tags', label: 'width-type0', edit: (e) => e.setField(TAG.width, 'type', 0) },
  { family: 'tiff-tags', label: 'width-type13', edit: (e) => e.setField(TAG.width, 'type', 13) },
  { family: 'tiff-tags', label: 'width-type99', edit: (e) => e.setField(TAG.width, 'type', 99) },
  { family: 'tiff-tags', label: 'width-ascii', edit: (e) => e.setField(TAG.width, 'type', 2) },
  { family: 'tiff-tags', label: 'bits-count-huge', edit: (e) => e.setField(TAG.bitsPerSample, 'count', 0x7fffffff) },
  { family: 'tiff-tags', label: 'width-count-0', edit: (e) => e.setField(TAG.width, 'count', 0) },
  { family: 'tiff-tags', label: 'unsorted', edit: (e) => swapEntries(e, 0, 1) },
  { family: 'tiff-tags', label: 'duplicate-width', edit: (e) => copyEntry(e, 0, 1) },
  // IFD chain: loops, pointers outside the file, absurd entry counts.
  { family: 'tiff-ifd', label: 'next-self', edit: (e) => pointLast(e, (ifds) => ifds[ifds.length - 1].offset) },
  { family: 'tiff-ifd', label: 'next-first', edit: (e) => pointLast(e, (ifds) => ifds[0].offset), want: (e) => e.layout.ifds.length > 1, seeds: 3 },
  { family: 'tiff-ifd', label: 'next-middle', edit: (e) => pointLast(e, (ifds) => ifds[1].offset), want: (e) => e.layout.ifds.length > 2 },
  { family: 'tiff-ifd', label: 'next-past-eof', edit: (e) => pointLast(e, () => e.bytes.length + 64) },
  { family: 'tiff-ifd', label: 'next-into-header', edit: (e) => pointLast(e, () => 1) },
  { family: 'tiff-ifd', label: 'next-odd-in-data', edit: (e) => pointLast(e, () => (e.layout.bigTiff ? 17 : 9)) },
  { family: 'tiff-ifd', label: 'first-past-eof', edit: (e) => (e.setPointer(e.layout.firstIfdAt, e.bytes.length + 8), true) },
  { family: 'tiff-ifd', label: 'first-zero', edit: (e) => (e.setPointer(e.layout.firstIfdAt, 0), true) },
  { family: 'tiff-ifd', label: 'first-max', edit: (e) => (e.setPointer(e.layout.firstIfdAt, e.layout.bigTiff ? 2n ** 64n - 1n : 0xffffffff), true) },
  { family: 'tiff-ifd', label: 'first-last-byte', edit: (e) => (e.setPointer(e.layout.firstIfdAt, e.bytes.length - 1), true) },
  { family: 'tiff-ifd', label: 'entry-count-0', edit: (e) => (e.setEntryCount(0, 0), true) },
  { family: 'tiff-ifd', label: 'entry-count-max', edit: (e) => (e.setEntryCount(0, e.layout.bigTiff ? 2n ** 40n : 0xffff), true) },
  { family: 'tiff-ifd', label: 'page2-w100000', edit: (e) => e.setValue(TAG.width, 100000, 0, 1) && e.setValue(TAG.height, 100000, 0, 1), want: (e) => e.layout.ifds.length > 1 },
  // Header.
  { family: 'tiff-header', label: 'magic-swapped', edit: (e) => (e.view.setUint16(2, e.layout.bigTiff ? 42 : 43, e.layout.littleEndian), true) },
  { family: 'tiff-header', label: 'magic-0', edit: (e) => (e.view.setUint16(2, 0, e.layout.littleEndian), true) },
  { family: 'tiff-header', label: 'byte-order-IM', edit: (e) => (e.bytes.set([0x49, 0x4d]), true) },
  { family: 'tiff-header', label: 'byte-order-flipped', edit: (e) => (e.bytes.set(e.layout.littleEndian ? [0x4d, 0x4d] : [0x49, 0x49]), true) },
  // BigTIFF: offsets beyond anything a file can hold, a wrong pointer size.
  ...[2n ** 40n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 8n].map((v, i): TiffMutation => ({
    family: 'tiff-bigtiff',
    label: `first-ifd-${['2e40', '2e53', '2e63', 'max'][i]}`,
    edit: (e) => (e.setPointer(e.layout.firstIfdAt, v), true),
    want: (e) => e.layout.bigTiff,
  })),
  { family: 'tiff-bigtiff', label: 'offset-2e50', edit: (e) => e.setValue(blockOffsets(e), 2n ** 50n), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'bytecount-2e50', edit: (e) => e.setValue(blockCounts(e), 2n ** 50n), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'count-2e40', edit: (e) => e.setField(blockOffsets(e), 'count', 2n ** 40n), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'next-2e60', edit: (e) => pointLast(e, () => 2 ** 60), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'bytesize-4', edit: (e) => (e.view.setUint16(4, 4, e.layout.littleEndian), true), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'bytesize-16', edit: (e) => (e.view.setUint16(4, 16, e.layout.littleEndian), true), want: (e) => e.layout.bigTiff },
  { family: 'tiff-bigtiff', label: 'reserved-nonzero', edit: (e) => (e.view.setUint16(6, 0xffff, e.layout.littleEndian), true), want: (e) => e.layout.bigTiff },
  // Deflate bombs: a block declared a few KiB that inflates to gigabytes.
  { family: 'tiff-bomb', label: 'block-inflates-1gb', edit: (e) => replaceBlock0(e, zlibBomb(GB)), want: isDeflate, seeds: 1 },
  { family: 'tiff-bomb', label: 'block-inflates-2gb', edit: (e) => replaceBlock0(e, zlibBomb(2 * GB)), want: (e) => isDeflate(e) && isTiled(e), seeds: 1 },
  { family: 'tiff-bomb', label: 'block-inflates-64mb-as-none', edit: (e) => e.setValue(TAG.compression, 8) && replaceBlock0(e, zlibBomb(64 << 20)), want: (e) => !isDeflate(e), seeds: 1 },
];

function pointLast(e: TiffEditor, target: (ifds: TiffEditor['layout']['ifds']) => number | bigint): boolean {
  const ifds = e.layout.ifds;
  e.setPointer(ifds[ifds.length - 1].nextAt, target(ifds));
  return true;
}

function entrySize(e: TiffEditor): number {
  return e.layout.bigTiff ? 20 : 12;
}

function swapEntries(e: TiffEditor, a: number, b: number): boolean {
  const entries = e.layout.ifds[0].entries;
  if (entries.length <= Math.max(a, b)) return false;
  const size = entrySize(e);
  const first = e.bytes.slice(entries[a].at, entries[a].at + size);
  e.bytes.copyWithin(entries[a].at, entries[b].at, entries[b].at + size);
  e.bytes.set(first, entries[b].at);
  return true;
}

function copyEntry(e: TiffEditor, from: number, to: number): boolean {
  const entries = e.layout.ifds[0].entries;
  if (entries.length <= Math.max(from, to)) return false;
  e.bytes.copyWithin(entries[to].at, entries[from].at, entries[from].at + entrySize(e));
  return true;
}

/** Every targeted TIFF case, each applied to up to two seeds (chosen in turn) that it fits. */
export function tiffCases(seeds: Seed[]): CorpusCase[] {
  const tiffs = seeds.filter((s) => s.format === 'tiff').map((seed) => ({ seed, layout: readTiffLayout(seed.bytes) }));
  const cases: CorpusCase[] = [];
  MUTATIONS.forEach((m, index) => {
    let applied = 0;
    for (let k = 0; k < tiffs.length && applied < (m.seeds ?? 2); k++) {
      const { seed, layout } = tiffs[(index + k * 3) % tiffs.length];
      if (!layout) continue;
      const probe = new TiffEditor(seed.bytes, layout);
      if (m.want && !m.want(probe, seed)) continue;
      const lazy = m.family === 'tiff-bomb';
      let bytes: Uint8Array | undefined;
      if (!lazy) {
        const outcome = m.edit(probe);
        if (outcome === false) continue;
        bytes = outcome === true ? probe.bytes : outcome;
      }
      applied++;
      cases.push({
        family: m.family,
        label: `${m.label}-${applied}`,
        from: seed.name,
        ext: '.tif',
        make: () => {
          if (bytes) return bytes;
          const e = new TiffEditor(seed.bytes, layout);
          const outcome = m.edit(e);
          return outcome === true || outcome === false ? e.bytes : outcome;
        },
      });
    }
  });
  return cases;
}
