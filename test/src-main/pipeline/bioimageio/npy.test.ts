import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../../../src-main/pipeline/bioimageio/npy';

describe('npy', () => {
  it('writes the version 1.0 header numpy writes, data aligned to 64 bytes', () => {
    const bytes = encodeNpy({ shape: [1, 1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(1, 1, 2, 3\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLength + 24);
  });

  it('round-trips every supported dtype, and 1-d shapes with their trailing comma', () => {
    for (const data of [new Float32Array([1.5, -2]), new Uint8Array([0, 255]), new Uint16Array([1, 65535]), new Int32Array([-7, 9]), new Float64Array([Math.PI, 0])]) {
      const decoded = decodeNpy(encodeNpy({ shape: [2], data }));
      expect(decoded.shape).toEqual([2]);
      expect(decoded.data.constructor).toBe(data.constructor);
      expect(Array.from(decoded.data)).toEqual(Array.from(data));
    }
    const header = new TextDecoder().decode(encodeNpy({ shape: [2], data: new Uint8Array(2) }).subarray(10, 74));
    expect(header).toContain("'shape': (2,)");
  });

  it('refuses wrong shapes, bad magic and Fortran order', () => {
    expect(() => encodeNpy({ shape: [3], data: new Float32Array(2) })).toThrow(/does not hold/);
    expect(() => decodeNpy(new Uint8Array(20))).toThrow(/bad magic/);
    const bytes = encodeNpy({ shape: [1], data: new Float32Array(1) });
    const text = new TextDecoder().decode(bytes).replace('False', 'True ');
    expect(() => decodeNpy(new Uint8Array([...bytes.subarray(0, 10), ...new TextEncoder().encode(text.slice(10, 10 + (bytes[8] | (bytes[9] << 8)))), ...bytes.subarray(10 + (bytes[8] | (bytes[9] << 8)))]))).toThrow(/Fortran/);
  });
});
