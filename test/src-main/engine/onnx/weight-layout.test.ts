import { describe, expect, it } from 'vitest';
import { hwioToOihw, transposedKernelToOnnx } from '../../../../src-main/engine/onnx/weight-layout';

describe('weight layouts', () => {
  it('moves an HWIO conv kernel to OIHW', () => {
    const [kh, kw, ci, co] = [2, 3, 2, 4];
    const data = Float32Array.from({ length: kh * kw * ci * co }, (_, i) => i);
    const { dims, data: out } = hwioToOihw(data, [kh, kw, ci, co]);
    expect(dims).toEqual([co, ci, kh, kw]);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) expect(out[((o * ci + i) * kh + y) * kw + x]).toBe(data[((y * kw + x) * ci + i) * co + o]);
  });

  it('moves a tfjs transposed kernel [h, w, out, in] to ONNX [in, out, h, w]', () => {
    const [kh, kw, co, ci] = [2, 2, 3, 5];
    const data = Float32Array.from({ length: kh * kw * co * ci }, (_, i) => i * 0.5);
    const { dims, data: out } = transposedKernelToOnnx(data, [kh, kw, co, ci]);
    expect(dims).toEqual([ci, co, kh, kw]);
    // Spot values written out by hand: element [y=1, x=0, o=2, i=4] of the source.
    const src = ((1 * kw + 0) * co + 2) * ci + 4;
    expect(out[((4 * co + 2) * kh + 1) * kw + 0]).toBe(data[src]);
    expect([...out].sort((a, b) => a - b)).toEqual([...data]);
  });

  it('refuses a kernel whose shape does not match its data', () => {
    expect(() => hwioToOihw(new Float32Array(10), [3, 3, 1, 1])).toThrow(/shape/);
    expect(() => transposedKernelToOnnx(new Float32Array(4), [2, 2])).toThrow(/shape/);
  });
});
