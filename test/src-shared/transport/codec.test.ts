import { describe, expect, it } from 'vitest';
import { CodecError, decodeMessage, encodeMessage } from '../../../src-shared/transport/codec';

describe('binary message codec', () => {
  it('round-trips JSON values with typed arrays of every kind, in place', () => {
    const value = {
      type: 'result',
      id: 7,
      nested: { a: new Uint8Array([1, 2, 255]), list: [new Float32Array([0.5, -1.25]), 'x', null] },
      u16: new Uint16Array([0, 65535, 1234]),
      i32: new Int32Array([-5, 7]),
      f64: new Float64Array([Math.PI]),
      text: 'héllo',
    };
    const decoded = decodeMessage(encodeMessage(value)) as typeof value;
    expect(decoded.nested.a).toBeInstanceOf(Uint8Array);
    expect([...decoded.nested.a]).toEqual([1, 2, 255]);
    expect(decoded.nested.list[0]).toBeInstanceOf(Float32Array);
    expect([...(decoded.nested.list[0] as Float32Array)]).toEqual([0.5, -1.25]);
    expect([...decoded.u16]).toEqual([0, 65535, 1234]);
    expect([...decoded.i32]).toEqual([-5, 7]);
    expect(decoded.f64[0]).toBe(Math.PI);
    expect(decoded.text).toBe('héllo');
  });

  it('encodes a view of a larger buffer by its own bytes only', () => {
    const big = new Uint16Array([9, 9, 1, 2, 3, 9]);
    const view = big.subarray(2, 5);
    const decoded = decodeMessage(encodeMessage({ v: view })) as { v: Uint16Array };
    expect([...decoded.v]).toEqual([1, 2, 3]);
  });

  it('rejects truncated and garbage frames with a CodecError', () => {
    const bytes = encodeMessage({ a: new Float32Array(100) });
    expect(() => decodeMessage(bytes.subarray(0, bytes.length - 10))).toThrow(CodecError);
    expect(() => decodeMessage(new Uint8Array([1, 2, 3]))).toThrow(CodecError);
    const garbage = new Uint8Array(64).fill(0xff);
    expect(() => decodeMessage(garbage)).toThrow(CodecError);
  });
});
