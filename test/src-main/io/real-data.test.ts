import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listImageFiles } from '../../../src-main/io/list-image-files';
import { readImage, readImageMetadata, readImageRegion } from '../../../src-main/io/read-image';

/** The shared benchmark data sits next to the repository; without it these checks are skipped. */
const DATA = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

/** Files checked per folder: large folders are sampled evenly, so a new 600-image set costs what a small one does. */
const SAMPLE_PER_FOLDER = 24;

interface Expectation {
  format: string;
  dtype: string;
  channels: number;
  /** Every sample lies in [min, max]. */
  range: [number, number];
}

/** Folders whose exact types are known; any other folder is judged by the generic rules below. */
const KNOWN: Record<string, Expectation> = {
  'dic-hela/images': { format: 'tiff', dtype: 'uint8', channels: 1, range: [0, 255] },
  'dic-hela/masks': { format: 'tiff', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'fluo-hela/images': { format: 'tiff', dtype: 'uint16', channels: 1, range: [32000, 38000] },
  'fluo-hela/masks': { format: 'tiff', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'dsb2018/images': { format: 'png', dtype: 'uint8', channels: 4, range: [0, 255] },
  'dsb2018/masks': { format: 'png', dtype: 'uint16', channels: 1, range: [0, 65535] },
  'isbi2012/images': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
  'isbi2012/masks': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
  'isbi2012/test-images': { format: 'png', dtype: 'uint8', channels: 1, range: [0, 255] },
};

const DTYPE_RANGE: Record<string, [number, number]> = {
  uint8: [0, 255],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 2 ** 32 - 1],
};

function groupByFolder(files: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = relative(DATA, dirname(file));
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  return groups;
}

function sampleEvenly<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

function minMax(data: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

describe.skipIf(!existsSync(DATA))('real microscopy data in ../shared/data', { timeout: 300_000 }, () => {
  it('every folder loads: known folders with their exact types, new folders by the generic rules', async () => {
    const groups = groupByFolder(await listImageFiles(DATA, { recursive: true }));
    expect(groups.size).toBeGreaterThanOrEqual(Object.keys(KNOWN).length);
    for (const [folder, all] of groups) {
      const files = sampleEvenly(all, SAMPLE_PER_FOLDER);
      const known = KNOWN[folder];
      const isMasks = basename(folder) === 'masks';
      const seen = new Set<string>();
      for (const path of files) {
        const meta = await readImageMetadata(path);
        const image = await readImage(path);
        expect([image.width, image.height], path).toEqual([meta.width, meta.height]);
        expect(image.data.length, path).toBe(image.width * image.height * image.channels);
        const [min, max] = minMax(image.data);
        expect(Number.isFinite(min) && Number.isFinite(max), path).toBe(true);
        seen.add(`${meta.format}/${image.dtype}/${image.channels}`);
        if (known) {
          expect({ format: meta.format, dtype: image.dtype, channels: image.channels }, path).toEqual({
            format: known.format, dtype: known.dtype, channels: known.channels,
          });
          expect(min, path).toBeGreaterThanOrEqual(known.range[0]);
          expect(max, path).toBeLessThanOrEqual(known.range[1]);
        } else {
          const range = DTYPE_RANGE[image.dtype];
          if (range) {
            expect(min, path).toBeGreaterThanOrEqual(range[0]);
            expect(max, path).toBeLessThanOrEqual(range[1]);
          }
        }
        if (isMasks) {
          // A mask is one integer channel and annotates something.
          expect(image.channels, path).toBe(1);
          expect(image.dtype.startsWith('uint') || image.dtype.startsWith('int'), path).toBe(true);
          expect(max, path).toBeGreaterThan(0);
          // Its image, where the set has one, has the same size.
          const imagePath = resolve(dirname(dirname(path)), 'images', basename(path));
          if (existsSync(imagePath)) {
            const imageMeta = await readImageMetadata(imagePath);
            expect([imageMeta.width, imageMeta.height], path).toEqual([meta.width, meta.height]);
          }
        }
      }
      // One folder holds one kind of file: a mixed folder means a reader misread some of them.
      expect([...seen].length, `${folder} mixes ${[...seen].join(', ')}`).toBe(1);
    }
  });

  it('Fluo-N2DL-HeLa keeps its narrow 16-bit range and a region matches the full decode', async () => {
    const files = await listImageFiles(resolve(DATA, 'fluo-hela', 'images'));
    for (const path of files) {
      const full = await readImage(path);
      expect(full).toMatchObject({ width: 1100, height: 700, dtype: 'uint16' });
      expect(full.data).toBeInstanceOf(Uint16Array);
      expect(Math.max(...full.data.subarray(0, 100000))).toBeGreaterThan(33000);
      const region = await readImageRegion(path, { x: 517, y: 301, width: 64, height: 33 });
      for (let y = 0; y < 33; y++) {
        const from = (301 + y) * 1100 + 517;
        expect(Array.from(region.data.subarray(y * 64, (y + 1) * 64))).toEqual(Array.from(full.data.subarray(from, from + 64)));
      }
    }
  });
});
