/**
 * Binary framing for the WebSocket transport. JSON cannot carry typed arrays efficiently (images,
 * class maps, probability maps), so each ArrayBufferView is replaced by a reference and its bytes
 * are appended after the JSON header:
 *   [u32 json byte length][json utf-8][pad to 8][u32 count][per buffer: u32 type, u32 byteLength, bytes, pad to 8]
 */
const TYPED_ARRAYS = [
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  Uint8ClampedArray,
] as const;

type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[number]>;

const BIN_KEY = '$bin';

function typeIndexOf(view: ArrayBufferView): number {
  const index = TYPED_ARRAYS.findIndex((ctor) => view instanceof ctor);
  return index < 0 ? 0 : index; // DataView and other views travel as bytes
}

export class CodecError extends Error {}

export function encodeMessage(value: unknown): Uint8Array {
  const buffers: ArrayBufferView[] = [];
  const json = JSON.stringify(value, function replacer(_key, v: unknown) {
    if (ArrayBuffer.isView(v)) {
      buffers.push(v);
      return { [BIN_KEY]: buffers.length - 1 };
    }
    return v;
  });
  const jsonBytes = new TextEncoder().encode(json);
  let size = align8(4 + jsonBytes.byteLength) + 4;
  for (const b of buffers) size = align8(size + 8 + b.byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, jsonBytes.byteLength, true);
  out.set(jsonBytes, 4);
  let offset = align8(4 + jsonBytes.byteLength);
  dv.setUint32(offset, buffers.length, true);
  offset += 4;
  for (const b of buffers) {
    dv.setUint32(offset, typeIndexOf(b), true);
    dv.setUint32(offset + 4, b.byteLength, true);
    offset += 8;
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), offset);
    offset = align8(offset + b.byteLength);
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 8) throw new CodecError('message too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = dv.getUint32(0, true);
  if (4 + jsonLength > bytes.byteLength) throw new CodecError('message header exceeds its frame');
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength));
  let offset = align8(4 + jsonLength);
  if (offset + 4 > bytes.byteLength) throw new CodecError('message has no buffer table');
  const count = dv.getUint32(offset, true);
  offset += 4;
  const views: AnyTypedArray[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 8 > bytes.byteLength) throw new CodecError('buffer table truncated');
    const type = dv.getUint32(offset, true);
    const length = dv.getUint32(offset + 4, true);
    offset += 8;
    const ctor = TYPED_ARRAYS[type];
    if (!ctor) throw new CodecError(`unknown buffer type ${type}`);
    if (offset + length > bytes.byteLength || length % ctor.BYTES_PER_ELEMENT !== 0) throw new CodecError('buffer truncated');
    // Copy into a fresh, aligned buffer so the view owns its memory.
    const copy = bytes.slice(offset, offset + length);
    views.push(new ctor(copy.buffer, 0, length / ctor.BYTES_PER_ELEMENT));
    offset = align8(offset + length);
  }
  return JSON.parse(json, function reviver(_key, v: unknown) {
    if (v && typeof v === 'object' && !Array.isArray(v) && BIN_KEY in v && Object.keys(v).length === 1) {
      const index = (v as Record<string, unknown>)[BIN_KEY];
      if (typeof index !== 'number' || !views[index]) throw new CodecError('dangling buffer reference');
      return views[index];
    }
    return v;
  });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
