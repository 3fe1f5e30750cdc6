import { describe, expect, it } from 'vitest';
import { autoWindow, bitDepthOf, buildLut, channelSamples, displayLevel, histogram, lutDomain, mapToRgba } from '../../../src-renderer/src/lib/viewer/contrast';

describe('contrast LUT', () => {
  it('maps a 16-bit window linearly onto 0..255 with clamping', () => {
    const lut = buildLut({ min: 1000, max: 2000, gamma: 1 }, { offset: 0, size: 65536 });
    expect(lut.length).toBe(65536);
    expect(lut[0]).toBe(0);
    expect(lut[1000]).toBe(0);
    expect(lut[1500]).toBe(128); // 127.5 rounds up
    expect(lut[2000]).toBe(255);
    expect(lut[65535]).toBe(255);
    for (let v = 1001; v <= 2000; v++) expect(lut[v]).toBeGreaterThanOrEqual(lut[v - 1]);
  });

  it('applies gamma as t^gamma inside the window', () => {
    const lut = buildLut({ min: 0, max: 100, gamma: 2 }, { offset: 0, size: 256 });
    expect(lut[50]).toBe(Math.round(255 * 0.25));
    const bright = buildLut({ min: 0, max: 100, gamma: 0.5 }, { offset: 0, size: 256 });
    expect(bright[25]).toBe(Math.round(255 * 0.5));
  });

  it('covers signed 16-bit data through an offset', () => {
    const domain = lutDomain(new Int16Array(1))!;
    expect(domain).toEqual({ offset: 32768, size: 65536 });
    const lut = buildLut({ min: -100, max: 100, gamma: 1 }, domain);
    expect(lut[-100 + 32768]).toBe(0);
    expect(lut[0 + 32768]).toBe(128);
    expect(lut[100 + 32768]).toBe(255);
  });

  it('survives a degenerate window', () => {
    expect(displayLevel(5, { min: 5, max: 5, gamma: 1 })).toBe(0);
    expect(displayLevel(6, { min: 5, max: 5, gamma: 1 })).toBe(255);
    expect(displayLevel(6, { min: 5, max: 10, gamma: Number.NaN })).toBe(51);
  });

  it('maps 16-bit grey to RGBA without touching the raw data', () => {
    const raw = new Uint16Array([0, 30000, 35000, 40000, 65535]);
    const copy = raw.slice();
    const out = new Uint8ClampedArray(raw.length * 4);
    mapToRgba(raw, 1, 0, { min: 30000, max: 40000, gamma: 1 }, out);
    expect([...out]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(raw).toEqual(copy);
  });

  it('shows one channel of interleaved data, or RGB', () => {
    const hwc = new Uint8Array([10, 20, 30, 40, 50, 60]);
    const grey = new Uint8ClampedArray(8);
    mapToRgba(hwc, 3, 1, { min: 0, max: 255, gamma: 1 }, grey);
    expect([...grey]).toEqual([20, 20, 20, 255, 50, 50, 50, 255]);
    const rgb = new Uint8ClampedArray(8);
    mapToRgba(hwc, 3, 'rgb', { min: 0, max: 255, gamma: 1 }, rgb);
    expect([...rgb]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
    expect([...channelSamples(hwc, 3, 2)]).toEqual([30, 60]);
  });

  it('quantises float data inside the window', () => {
    const data = new Float32Array([-1, 0, 0.5, 1, 2, Number.NaN]);
    const out = new Uint8ClampedArray(data.length * 4);
    mapToRgba(data, 1, 0, { min: 0, max: 1, gamma: 1 }, out);
    expect([0, 1, 2, 3, 4, 5].map((i) => out[i * 4])).toEqual([0, 0, 128, 255, 255, 0]);
  });

  it('picks the auto window from percentiles, ignoring a few hot pixels', () => {
    const data = new Uint16Array(10000);
    for (let i = 0; i < data.length; i++) data[i] = 33000 + (i % 4000);
    data[0] = 65535;
    data[1] = 65535;
    const w = autoWindow(data);
    expect(w.min).toBeGreaterThanOrEqual(33000);
    expect(w.min).toBeLessThan(33010);
    expect(w.max).toBeLessThanOrEqual(37000);
    expect(w.max).toBeGreaterThan(36900);
    expect(w.gamma).toBe(1);
    expect(Number.isInteger(w.min) && Number.isInteger(w.max)).toBe(true);
  });

  it('bins a histogram with out-of-range values in the end bins', () => {
    expect([...histogram([0, 1, 2, 3, 4, 5, -7, 99], 3, 0, 6)]).toEqual([3, 2, 3]);
  });

  it('reads the bit depth from the dtype', () => {
    expect(bitDepthOf('uint16')).toBe(16);
    expect(bitDepthOf('float32')).toBe(32);
    expect(bitDepthOf('weird')).toBe(0);
  });
});
