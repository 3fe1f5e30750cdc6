import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { crc32 } from '../../../src-main/io/png/png-chunks';
import { readImage, readImageMetadata, readImageRegion } from '../../../src-main/io/read-image';
import { fixturePath } from './fixture-pattern';

/*
 * Seeded mutations of valid fixtures: every read must either succeed with a consistent image or fail with
 * a UnetError of a file-level code. A raw exception, a crash or a hang fails the test.
 */

const SOURCES = [
  'tiff-u16-lzw.tif', 'tiff-u16-tiled-lzw.tif', 'tiff-u8-packbits.tif', 'tiff-u16-deflate-pred.tif',
  'tiff-f32-deflate-fpred.tif', 'tiff-u16-bigtiff-deflate.tif', 'tiff-stack3-u16-lzw.tif',
  'tiff-rgb16-planar-tiled-deflate-pred.tif', 'tiff-bits12.tif', 'png-rgb16.png', 'png-gray8-interlaced.png',
  'png-palette8-trns.png', 'png-ga16.png', 'jpeg-rgb.jpg', 'jpeg-rgb-progressive.jpg', 'jpeg-gray.jpg',
];
const CASES_PER_SOURCE = 16;
const FILE_CODES = new Set(['CORRUPT', 'UNSUPPORTED', 'TOO_LARGE', 'OUT_OF_MEMORY']);

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recomputes PNG chunk CRCs so mutations reach the decoder instead of stopping at the CRC check. */
function fixPngCrcs(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    if (offset + 12 + length > bytes.length) return;
    view.setUint32(offset + 8 + length, crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    offset += 12 + length;
  }
}

function mutate(source: Uint8Array, random: () => number, isPng: boolean): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes = source.slice();
  const kind = pick(5);
  if (kind === 0) {
    bytes = bytes.subarray(0, pick(bytes.length));
  } else if (kind === 1) {
    for (let i = 0, n = 1 + pick(8); i < n; i++) bytes[pick(bytes.length)] ^= 1 << pick(8);
  } else if (kind === 2) {
    // Header area: sizes, counts and offsets live near the start (and at the end for tiffcp files).
    const region = Math.min(bytes.length, 512);
    const at = random() < 0.5 ? pick(region) : bytes.length - 1 - pick(region);
    const values = [0, 0xff, 0x7f, 0x80, 0x01];
    for (let i = 0; i < 4 && at + i < bytes.length; i++) bytes[at + i] = values[pick(values.length)];
  } else if (kind === 3) {
    const at = pick(bytes.length);
    bytes.fill(pick(256), at, Math.min(bytes.length, at + 1 + pick(64)));
  } else {
    const from = pick(bytes.length);
    const to = Math.min(bytes.length, from + 1 + pick(200));
    bytes = Buffer.concat([bytes.subarray(0, from), bytes.subarray(to)]);
  }
  if (isPng && random() < 0.7) fixPngCrcs(bytes);
  return bytes;
}

async function expectCleanOutcome(work: Promise<{ width: number; height: number; channels: number; data: ArrayLike<number> } | unknown>, path: string): Promise<void> {
  try {
    const result = await work;
    if (result && typeof result === 'object' && 'data' in result) {
      const image = result as { width: number; height: number; channels: number; data: ArrayLike<number> };
      expect(image.data.length).toBe(image.width * image.height * image.channels);
    }
  } catch (error) {
    expect(error, `${path}: ${String(error)}`).toBeInstanceOf(UnetError);
    const { code, message } = error as UnetError;
    expect(FILE_CODES.has(code) || code === 'INVALID_ARGUMENT', `${code}: ${message}`).toBe(true);
    expect(message).toContain(path);
  }
}

describe('mutated files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'io-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SOURCES)('%s: every mutation reads cleanly or fails with a typed error', async (name) => {
    const source = new Uint8Array(readFileSync(fixturePath(name)));
    const random = prng(name.length * 7919 + source.length);
    for (let i = 0; i < CASES_PER_SOURCE; i++) {
      const path = join(dir, `${i}-${name}`);
      writeFileSync(path, mutate(source, random, name.endsWith('.png')));
      await expectCleanOutcome(readImageMetadata(path), path);
      await expectCleanOutcome(readImage(path), path);
      await expectCleanOutcome(readImageRegion(path, { x: 2, y: 3, width: 9, height: 7 }), path);
    }
  });
});
