import { describe, expect, it } from 'vitest';
import { toFloat32, toGray } from '../../../src-main/io/image-convert';
import type { DecodedImage, PixelArray } from '../../../src-main/io/image-types';

function image(data: PixelArray, channels: number, extra: Partial<DecodedImage> = {}): DecodedImage {
  return {
    width: data.length / channels, height: 1, channels, frames: 1, dtype: 'uint8', data, colorSpace: 'gray', alpha: false, ...extra,
  };
}

describe('toGray', () => {
  it('turns RGB into BT.601 luminance, keeping the sample type', () => {
    const rgb = image(new Uint16Array([65535, 0, 0, 0, 65535, 0, 0, 0, 65535, 1000, 1000, 1000]), 3, { dtype: 'uint16', colorSpace: 'rgb' });
    const gray = toGray(rgb);
    expect(gray).toMatchObject({ channels: 1, width: 4, dtype: 'uint16', colorSpace: 'gray', alpha: false });
    expect(gray.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(gray.data)).toEqual([Math.round(0.299 * 65535), Math.round(0.587 * 65535), Math.round(0.114 * 65535), 1000]);
  });

  it('drops alpha, from RGBA and from gray + alpha', () => {
    const rgba = image(new Uint8Array([10, 20, 30, 0, 200, 200, 200, 255]), 4, { colorSpace: 'rgb', alpha: true });
    expect(Array.from(toGray(rgba).data)).toEqual([Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30), 200]);
    const ga = image(new Uint8Array([7, 0, 9, 255]), 2, { alpha: true });
    expect(Array.from(toGray(ga).data)).toEqual([7, 9]);
  });

  it('averages independent channels and returns one-channel images unchanged', () => {
    const twoChannels = image(new Float32Array([1, 2, 0.5, 0.25]), 2, { dtype: 'float32' });
    expect(Array.from(toGray(twoChannels).data)).toEqual([1.5, 0.375]);
    const gray = image(new Uint8Array([1, 2, 3]), 1);
    expect(toGray(gray)).toBe(gray);
  });
});

describe('toFloat32', () => {
  it('copies values, or maps the type range onto 0..1', () => {
    const u16 = image(new Uint16Array([0, 32768, 65535]), 1, { dtype: 'uint16' });
    expect(Array.from(toFloat32(u16))).toEqual([0, 32768, 65535]);
    expect(Array.from(toFloat32(u16, { scale: 'dtype-range' }))).toEqual([0, Math.fround(32768 / 65535), 1]);
    const i8 = image(new Int8Array([-128, 127]), 1, { dtype: 'int8' });
    expect(Array.from(toFloat32(i8, { scale: 'dtype-range' }))).toEqual([0, 1]);
    const f = image(new Float32Array([-3, 7.5]), 1, { dtype: 'float32' });
    const out = toFloat32(f, { scale: 'dtype-range' });
    expect(Array.from(out)).toEqual([-3, 7.5]);
    expect(out).not.toBe(f.data);
  });
});
