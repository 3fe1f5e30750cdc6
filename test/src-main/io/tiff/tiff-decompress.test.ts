import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeDeflate, decodeLzw, decodePackBits, maxDecodedBytes, reverseBitOrder,
} from '../../../../src-main/io/tiff/tiff-decompress';

/** Reference TIFF LZW encoder (MSB-first, early change, clear before the table fills), for round trips. */
function encodeLzw(data: Uint8Array, withEoi = true): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let count = 0;
  let width = 9;
  const emit = (code: number) => {
    bits = (bits << width) | code;
    count += width;
    while (count >= 8) {
      count -= 8;
      out.push((bits >>> count) & 0xff);
    }
    bits &= (1 << count) - 1;
  };
  let table = new Map<string, number>();
  let next = 258;
  const reset = () => {
    table = new Map();
    next = 258;
  };
  emit(256);
  let current = '';
  for (const byte of data) {
    const candidate = current === '' ? String.fromCharCode(byte) : current + String.fromCharCode(byte);
    if (candidate.length === 1 || table.has(candidate)) {
      current = candidate;
      continue;
    }
    emit(current.length === 1 ? current.charCodeAt(0) : (table.get(current) as number));
    table.set(candidate, next++);
    if (next >= 1 << width && width < 12) width++; // the encoder widens one code later than the decoder
    if (next >= 4094) {
      emit(256);
      reset();
      width = 9;
    }
    current = String.fromCharCode(byte);
  }
  if (current !== '') emit(current.length === 1 ? current.charCodeAt(0) : (table.get(current) as number));
  if (withEoi) emit(257);
  if (count > 0) out.push((bits << (8 - count)) & 0xff);
  return new Uint8Array(out);
}

function sample(length: number, seed: number): Uint8Array {
  const data = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    // Runs and repeats so the table fills with long strings, and enough noise to force clears.
    data[i] = i % 97 < 40 ? (i >> 4) & 0xff : (s >> 16) & 0x0f;
  }
  return data;
}

describe('decodeLzw', () => {
  it.each([1, 2, 17, 1000, 30000])('round-trips %i bytes through a reference encoder', (length) => {
    const data = sample(length, length);
    const out = new Uint8Array(length);
    expect(decodeLzw(encodeLzw(data), out)).toBe(length);
    expect(out).toEqual(data);
  });

  it('accepts a stream without EOI when it produced everything', () => {
    const data = sample(5000, 3);
    const out = new Uint8Array(5000);
    expect(decodeLzw(encodeLzw(data, false), out)).toBe(5000);
    expect(out).toEqual(data);
  });

  it('stops at the declared size however much the stream holds', () => {
    const data = new Uint8Array(200_000).fill(7);
    const out = new Uint8Array(100);
    expect(decodeLzw(encodeLzw(data), out)).toBe(100);
    expect(out.every((v) => v === 7)).toBe(true);
  });

  it('reports a short stream by producing fewer bytes', () => {
    const data = sample(4000, 9);
    const stream = encodeLzw(data);
    expect(decodeLzw(stream.subarray(0, stream.length >> 1), new Uint8Array(4000))).toBeLessThan(4000);
  });

  it('throws on codes that are not in the table', () => {
    expect(() => decodeLzw(new Uint8Array([0x80, 0x7f, 0xff, 0xff]), new Uint8Array(10))).toThrow(/not in the table|follows a clear code/);
  });
});

describe('decodePackBits', () => {
  it('decodes the example from Apple TN1023', () => {
    const packed = new Uint8Array([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
    const expected = [0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, ...new Array(10).fill(0xaa)];
    const out = new Uint8Array(expected.length);
    expect(decodePackBits(packed, out)).toBe(expected.length);
    expect(Array.from(out)).toEqual(expected);
  });

  it('skips -128, stays within the output and rejects runs past the input', () => {
    const out = new Uint8Array(3);
    expect(decodePackBits(new Uint8Array([0x80, 0x81, 0x05]), out)).toBe(3);
    expect(Array.from(out)).toEqual([5, 5, 5]);
    expect(() => decodePackBits(new Uint8Array([0x05, 1, 2]), new Uint8Array(10))).toThrow(/literal run/);
  });
});

describe('decodeDeflate', () => {
  it('inflates into the block and refuses data that expands beyond it', () => {
    const data = sample(10000, 5);
    const out = new Uint8Array(10000);
    expect(decodeDeflate(deflateSync(data), out)).toBe(10000);
    expect(out).toEqual(data);
    expect(() => decodeDeflate(deflateSync(new Uint8Array(20000)), new Uint8Array(10000))).toThrow(/expands beyond the 10000 bytes/);
    expect(() => decodeDeflate(new Uint8Array([1, 2, 3, 4]), out)).toThrow(/damaged/);
  });
});

describe('helpers', () => {
  it('bounds what a block can expand to', () => {
    expect(maxDecodedBytes(1, 100)).toBe(100);
    expect(maxDecodedBytes(8, 100)).toBeGreaterThanOrEqual(100 * 1032);
    expect(maxDecodedBytes(32773, 2)).toBe(128);
    // LZW's longest string per 9-bit code bounds it.
    expect(maxDecodedBytes(5, 9)).toBeGreaterThanOrEqual(8 * 3838);
  });

  it('reverses the bits of each byte (FillOrder 2)', () => {
    expect(Array.from(reverseBitOrder(new Uint8Array([0x01, 0x80, 0xf0, 0x35])))).toEqual([0x80, 0x01, 0x0f, 0xac]);
  });
});
