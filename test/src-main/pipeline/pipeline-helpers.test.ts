import { describe, expect, it } from 'vitest';
import type { UNetMetadata } from '../../../src-main/engine/model-files';
import { pairFiles, fileStem } from '../../../src-main/io/image-pairs';
import { maskFromClassMap } from '../../../src-main/pipeline/prediction-files';
import { inferenceTile } from '../../../src-main/pipeline/segment-file';
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
