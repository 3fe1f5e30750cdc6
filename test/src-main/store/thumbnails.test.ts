import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../../src-main/io/image-types';
import { storedLevelFor } from '../../../src-main/io/pyramid-levels';
import { renderThumbnail, thumbnailPath, thumbnailSize } from '../../../src-main/store/thumbnails';

function image(width: number, height: number, channels: number, data: DecodedImage['data'], colorSpace: 'gray' | 'rgb' = 'gray'): DecodedImage {
  return { width, height, channels, frames: 1, dtype: data instanceof Uint16Array ? 'uint16' : 'uint8', data, colorSpace, alpha: channels === 4 };
}

describe('thumbnails', () => {
  it('fits the longer side and never enlarges', () => {
    expect(thumbnailSize(1000, 500, 256)).toEqual({ width: 256, height: 128 });
    expect(thumbnailSize(500, 1000, 256)).toEqual({ width: 128, height: 256 });
    expect(thumbnailSize(20, 10, 256)).toEqual({ width: 20, height: 10 });
    expect(thumbnailSize(4000, 1, 100)).toEqual({ width: 100, height: 1 });
  });

  it('averages blocks and stretches a narrow 16-bit range to full contrast', () => {
    // 4x2, left half 33000, right half 34000: 2x1 thumbnail, dark left and bright right.
    const data = new Uint16Array([33000, 33000, 34000, 34000, 33000, 33000, 34000, 34000]);
    const t = renderThumbnail(image(4, 2, 1, data), 2);
    expect([t.width, t.height]).toEqual([2, 1]);
    expect([...t.rgba]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('stretches colour images with one range for all channels, ignoring alpha', () => {
    const data = new Uint8Array([100, 5, 15, 255, 50, 2, 8, 255]);
    const t = renderThumbnail(image(2, 1, 4, data, 'rgb'), 2);
    const [r1, g1, b1, a1, r2, g2, b2] = t.rgba;
    expect(r1).toBe(255);
    expect(g2).toBe(0);
    expect(a1).toBe(255);
    // Hue order survives: red > blue > green in both pixels.
    expect(r1 > b1 && b1 > g1 && r2 > b2 && b2 > g2).toBe(true);
    expect(t.gray).toBe(false);
    expect(renderThumbnail(image(2, 1, 1, new Uint8Array([1, 2])), 2).gray).toBe(true);
  });

  it('are made from the smallest stored pyramid level that still covers them', () => {
    const levels = [
      { width: 4096, height: 2048 },
      { width: 1024, height: 512 },
      { width: 256, height: 128 },
      { width: 64, height: 32 },
    ];
    expect(storedLevelFor(levels, 256)).toBe(3);
    expect(storedLevelFor(levels, 300)).toBe(2);
    expect(storedLevelFor(levels, 5000)).toBe(0);
    expect(storedLevelFor(undefined, 256)).toBe(0);
  });

  it('keys the cache file by content hash', () => {
    expect(thumbnailPath('/c', { id: 3, contentHash: 'abcdef0123456789ffff' }, 256)).toBe('/c/thumbnails/3-abcdef0123456789-256.png');
  });
});
