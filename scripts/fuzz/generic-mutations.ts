import { gzipSync, zipSync } from 'fflate';
import { crc32 } from '../../src-main/io/png/png-chunks';
import { concat, extensionOf, type CorpusCase } from './corpus-case';
import type { Seed } from './corpus-seeds';
import { createRandom, subSeed, type Random } from './prng';
import { readTiffLayout, TiffEditor } from './tiff-layout';

/*
 * Format-blind damage: files that are not images at all (named like images, as they are found in
 * real folders), truncation at many offsets, and seeded random byte-level mutations of any seed.
 */

const text = (s: string) => new TextEncoder().encode(s);

function randomBytes(seed: number, length: number): Uint8Array {
  const random = createRandom(seed);
  return Uint8Array.from({ length }, () => random.int(256));
}

/** A 64-bit little-endian ELF header followed by zeros: what a stray executable looks like. */
function elfFile(): Uint8Array {
  const out = new Uint8Array(512);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(16, 2, true);
  view.setUint16(18, 0x3e, true);
  view.setUint32(20, 1, true);
  return out;
}

export function nonImageCases(seeds: Seed[]): CorpusCase[] {
  const tiff = seeds.find((s) => s.format === 'tiff');
  const png = seeds.find((s) => s.format === 'png');
  const files: [string, string, () => Uint8Array][] = [
    ['empty', '.tif', () => new Uint8Array(0)],
    ['empty', '.png', () => new Uint8Array(0)],
    ['empty', '.jpg', () => new Uint8Array(0)],
    ['one-byte', '.tif', () => Uint8Array.of(0x49)],
    ['text', '.tif', () => text('These are the notes of the experiment, not an image.\n'.repeat(20))],
    ['html', '.png', () => text('<!doctype html><html><body><img src="x.png"></body></html>\n')],
    ['json', '.jpg', () => text(JSON.stringify({ image: 'nope', width: 100000, height: 100000 }))],
    ['elf', '.tif', elfFile],
    ['zip', '.png', () => zipSync({ 'a.txt': text('hello'), 'b.tif': tiff?.bytes ?? new Uint8Array(8) })],
    ['gzip', '.tif', () => gzipSync(tiff?.bytes ?? new Uint8Array(8))],
    ['pdf', '.jpg', () => text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')],
    ['gif', '.png', () => concat(text('GIF89a'), Uint8Array.of(10, 0, 10, 0, 0, 0, 0), new Uint8Array(32))],
    ['bmp', '.tif', () => concat(text('BM'), new Uint8Array(60))],
    ['random-4k', '.jpg', () => randomBytes(11, 4096)],
    ['random-64k', '.tif', () => randomBytes(12, 65536)],
    ['random-1k', '.png', () => randomBytes(13, 1024)],
    ['tiff-header-only-le', '.tif', () => Uint8Array.of(0x49, 0x49, 42, 0)],
    ['tiff-header-only-be', '.tif', () => Uint8Array.of(0x4d, 0x4d, 0, 42)],
    ['bigtiff-header-only', '.tif', () => Uint8Array.of(0x49, 0x49, 43, 0, 8, 0, 0, 0)],
    ['tiff-header-zeros', '.tif', () => concat(Uint8Array.of(0x49, 0x49, 42, 0, 8, 0, 0, 0), new Uint8Array(4096))],
    ['tiff-header-ones', '.tif', () => concat(Uint8Array.of(0x49, 0x49, 42, 0, 8, 0, 0, 0), new Uint8Array(4096).fill(0xff))],
    ['png-signature-only', '.png', () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
    ['png-signature-garbage', '.png', () => concat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), randomBytes(14, 2048))],
    ['jpeg-soi-only', '.jpg', () => Uint8Array.of(0xff, 0xd8)],
    ['jpeg-soi-fill', '.jpg', () => concat(Uint8Array.of(0xff, 0xd8), new Uint8Array(4096).fill(0xff))],
    ['jpeg-soi-eoi', '.jpg', () => Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)],
  ];
  const cases: CorpusCase[] = files.map(([label, ext, make]) => ({ family: 'not-an-image', label, from: 'none', ext, make }));
  // The format comes from the bytes, not the name: a PNG named .tif and a TIFF named .jpg still read.
  if (png) cases.push({ family: 'misnamed', label: 'png-named-tif', from: png.name, ext: '.tif', valid: true, make: () => png.bytes });
  if (tiff) cases.push({ family: 'misnamed', label: 'tiff-named-jpg', from: tiff.name, ext: '.jpg', valid: true, make: () => tiff.bytes });
  return cases;
}

/** Each of a few seeds cut at the offsets where headers, tables and data begin and end. */
export function truncationCases(seeds: Seed[]): CorpusCase[] {
  const picks = ['tiff', 'png', 'jpeg'].flatMap((format) => seeds.filter((s) => s.format === format).slice(0, 2));
  const cases: CorpusCase[] = [];
  for (const seed of picks) {
    const n = seed.bytes.length;
    const offsets = [...new Set([1, 2, 3, 4, 7, 8, 9, 12, 16, 24, 33, 64, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), n - 5, n - 1])]
      .filter((o) => o > 0 && o < n)
      .sort((a, b) => a - b);
    for (const offset of offsets) {
      cases.push({ family: 'truncated', label: `${seed.name}-at-${offset}`, from: seed.name, ext: extensionOf(seed.format), make: () => seed.bytes.subarray(0, offset) });
    }
  }
  return cases;
}

/** Recomputes PNG chunk CRCs so that random damage reaches the decoder instead of the CRC check. */
function fixPngCrcs(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) return;
    view.setUint32(at + 8 + length, crc32(bytes.subarray(at + 4, at + 8 + length)));
    at += 12 + length;
  }
}

const SPECIAL = [0, 1, 0x7f, 0x80, 0xff, 0xfe];
const FIELD_VALUES = [0, 1, 2, 3, 7, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

type RandomMutation = (bytes: Uint8Array, random: Random, seed: Seed) => Uint8Array;

const RANDOM_MUTATIONS: Record<string, RandomMutation> = {
  'random-truncate': (b, r) => b.subarray(0, r.chance(0.5) ? r.int(Math.min(b.length, 600)) : r.int(b.length)),
  'random-bitflip-header': (b, r) => {
    const out = b.slice();
    for (let i = 0, n = 1 + r.int(8); i < n; i++) out[r.int(Math.min(out.length, 512))] ^= 1 << r.int(8);
    return out;
  },
  'random-bitflip-anywhere': (b, r) => {
    const out = b.slice();
    for (let i = 0, n = 1 + r.int(16); i < n; i++) out[r.int(out.length)] ^= 1 << r.int(8);
    return out;
  },
  'random-overwrite': (b, r) => {
    const out = b.slice();
    const at = r.chance(0.6) ? r.int(Math.min(out.length, 512)) : r.int(out.length);
    for (let i = 0; i < 4 && at + i < out.length; i++) out[at + i] = r.pick(SPECIAL);
    return out;
  },
  'random-fill-run': (b, r) => {
    const out = b.slice();
    const at = r.int(out.length);
    out.fill(r.pick(SPECIAL), at, Math.min(out.length, at + 1 + r.int(256)));
    return out;
  },
  'random-delete': (b, r) => {
    const from = r.int(b.length);
    return concat(b.subarray(0, from), b.subarray(Math.min(b.length, from + 1 + r.int(200))));
  },
  'random-duplicate': (b, r) => {
    const from = r.int(b.length);
    const piece = b.subarray(from, Math.min(b.length, from + 1 + r.int(300)));
    const to = r.int(b.length);
    return concat(b.subarray(0, to), piece, b.subarray(to));
  },
  'random-insert': (b, r) => {
    const to = r.int(b.length);
    return concat(b.subarray(0, to), randomBytes(r.int(1 << 30), 1 + r.int(64)), b.subarray(to));
  },
  // Structure-aware: one field of one TIFF entry set to a boundary value.
  'random-tiff-field': (b, r, seed) => {
    const layout = seed.format === 'tiff' ? readTiffLayout(b) : null;
    const ifd = layout?.ifds[r.int(layout.ifds.length)];
    if (!layout || !ifd || ifd.entries.length === 0) return RANDOM_MUTATIONS['random-overwrite'](b, r, seed);
    const e = new TiffEditor(b, layout);
    const entry = ifd.entries[r.int(ifd.entries.length)];
    const which = r.int(3);
    const ifdIndex = layout.ifds.indexOf(ifd);
    if (which === 0) e.setValue(entry.tag, r.pick(FIELD_VALUES), r.int(Math.max(1, Math.min(entry.count, 4))), ifdIndex);
    else if (which === 1) e.setField(entry.tag, 'count', r.pick(FIELD_VALUES), ifdIndex);
    else e.setField(entry.tag, 'type', r.int(20), ifdIndex);
    return e.bytes;
  },
};

/** `count` seeded random mutations of random seeds, spread evenly over the random families. */
export function randomCases(seeds: Seed[], count: number, seed: number): CorpusCase[] {
  const families = Object.keys(RANDOM_MUTATIONS);
  const cases: CorpusCase[] = [];
  for (let i = 0; i < count; i++) {
    const family = families[i % families.length];
    const source = createRandom(subSeed(seed, `${family}/${i}/source`)).pick(seeds);
    cases.push({
      family,
      label: `${i}-${source.name}`,
      from: source.name,
      ext: extensionOf(source.format),
      make: () => {
        // A fresh generator per call: making the same case twice gives the same bytes.
        const random = createRandom(subSeed(seed, `${family}/${i}`));
        const out = RANDOM_MUTATIONS[family](source.bytes, random, source);
        if (source.format === 'png' && random.chance(0.7)) {
          const fixed = out.slice();
          fixPngCrcs(fixed);
          return fixed;
        }
        return out;
      },
    });
  }
  return cases;
}
