import { describe, expect, it } from 'vitest';
import type { UNetMetadata } from '../../../src-main/engine/model-files';
import { pairFiles, fileStem } from '../../../src-main/pipeline/image-pairs';
import { maskFromClassMap } from '../../../src-main/pipeline/prediction-files';
import { inferenceTile } from '../../../src-main/pipeline/segment-file';
import { checkDistinctNames, shardOf } from '../../../src-main/pipeline/segment-files';
import { splitPairs } from '../../../src-main/pipeline/train-from-folders';
import { isLegalInputSize, outputSizeFor } from '../../../src-shared/imaging/tile-geometry';

describe('pairFiles', () => {
  it('matches masks to images by file name whatever the extension and case, in image order', () => {
    const result = pairFiles(['/i/a.png', '/i/B.tif', '/i/c.png', '/i/d.ome.tif'], ['/m/b.png', '/m/a.png', '/m/x.png', '/m/d.tif']);
    expect(result.pairs.map((p) => [p.image, p.mask])).toEqual([
      ['/i/a.png', '/m/a.png'],
      ['/i/B.tif', '/m/b.png'],
      ['/i/d.ome.tif', '/m/d.tif'],
    ]);
    expect(result.unmatchedImages).toEqual(['/i/c.png']);
    expect(result.unmatchedMasks).toEqual(['/m/x.png']);
    expect(fileStem('/x/cell.ome.tiff')).toBe('cell');
  });
});

describe('shardOf', () => {
  it('cuts a list into N contiguous slices that cover it exactly once', () => {
    const list = Array.from({ length: 10 }, (_, i) => i);
    for (const n of [1, 3, 4, 10, 13]) {
      const parts = Array.from({ length: n }, (_, i) => shardOf(list, i + 1, n));
      expect(parts.flat()).toEqual(list);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardOf(list, 2, 3)).toEqual([3, 4, 5]);
    expect(() => shardOf(list, 0, 3)).toThrow(/I\/N/);
    expect(() => shardOf(list, 4, 3)).toThrow(/I\/N/);
  });

  it('refuses inputs that would write the same output file', () => {
    expect(() => checkDistinctNames(['/a/x.png', '/b/x.tif'])).toThrow(/same output name/);
    expect(() => checkDistinctNames(['/a/x.png', '/a/y.png'])).not.toThrow();
  });
});

describe('splitPairs', () => {
  const pairs = Array.from({ length: 10 }, (_, i) => ({ name: `${i}.png`, image: `/i/${i}.png`, mask: `/m/${i}.png` }));

  it('holds out round(f * n) pairs, the same ones for the same seed', () => {
    const a = splitPairs(pairs, 0.2, 5);
    const b = splitPairs(pairs, 0.2, 5);
    expect(a.validation).toHaveLength(2);
    expect(a.train).toHaveLength(8);
    expect(a.validation).toEqual(b.validation);
    expect(new Set([...a.train, ...a.validation].map((p) => p.name)).size).toBe(10);
    expect(splitPairs(pairs, 0.2, 6).validation).not.toEqual(a.validation);
  });

  it('keeps at least one pair on each side, and none for validation with fraction 0 or one pair', () => {
    expect(splitPairs(pairs.slice(0, 2), 0.1, 1).validation).toHaveLength(1);
    expect(splitPairs(pairs.slice(0, 2), 0.9, 1).train).toHaveLength(1);
    expect(splitPairs(pairs.slice(0, 1), 0.5, 1).validation).toHaveLength(0);
    expect(splitPairs(pairs, 0, 1).validation).toHaveLength(0);
  });
});

describe('inferenceTile', () => {
  const metadata = (depth: number, input: number) => ({ architecture: { depth }, tile: { input } }) as unknown as UNetMetadata;

  it('picks the smallest legal tile covering the image, between the training tile and 572', () => {
    const small = inferenceTile(metadata(4, 316), 100, 80);
    expect(small).toBe(316);
    const mid = inferenceTile(metadata(4, 316), 350, 200);
    expect(isLegalInputSize(mid, 4)).toBe(true);
    expect(outputSizeFor(mid, 4)).toBeGreaterThanOrEqual(350);
    expect(inferenceTile(metadata(4, 316), 5000, 5000)).toBe(572);
    expect(inferenceTile(metadata(4, 316), 100, 100, 400)).toBe(396);
  });
});

describe('maskFromClassMap', () => {
  it('writes 0/255 for a two-class model and class indices (background 0) for more', () => {
    expect(Array.from(maskFromClassMap(Uint8Array.from([1, 2, 0, 2]), 3))).toEqual([0, 255, 0, 255]);
    expect(Array.from(maskFromClassMap(Uint8Array.from([1, 2, 3, 0]), 4))).toEqual([0, 1, 2, 0]);
  });
});
