import { UnetError } from '../../../src-shared/contract/errors';

/** Arrays a .npy file can carry here (little-endian, C order). */
export type NpyArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Int16Array | Int32Array | Uint32Array;

export interface NpyTensor {
  shape: number[];
  data: NpyArray;
}

const DESCR: Array<[string, (n: number) => NpyArray, new (...a: never[]) => NpyArray]> = [
  ['<f4', (n) => new Float32Array(n), Float32Array],
  ['<f8', (n) => new Float64Array(n), Float64Array],
  ['|u1', (n) => new Uint8Array(n), Uint8Array],
  ['<u2', (n) => new Uint16Array(n), Uint16Array],
  ['<i2', (n) => new Int16Array(n), Int16Array],
  ['<i4', (n) => new Int32Array(n), Int32Array],
  ['<u4', (n) => new Uint32Array(n), Uint32Array],
];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function descrOf(data: NpyArray): string {
  for (const [descr, , ctor] of DESCR) if (data instanceof ctor) return descr;
  throw new UnetError('UNSUPPORTED', `cannot write ${data.constructor.name} as .npy`);
}

/**
 * NumPy's .npy format, version 1.0 (what numpy.save writes): magic, a Python-dict header padded so
 * the data starts at a multiple of 64 bytes, then the raw little-endian values in C order.
 */
export function encodeNpy(tensor: NpyTensor): Uint8Array {
  const { shape, data } = tensor;
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || count !== data.length) {
    throw new UnetError('INVALID_ARGUMENT', `shape [${shape.join(', ')}] does not hold ${data.length} values`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new UnetError('UNSUPPORTED', 'npy header too long');
  const prefix = MAGIC.length + 4;
  const out = new Uint8Array(prefix + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform Node supports.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefix + header.length);
  return out;
}

/** Reads a version 1.x/2.x .npy file of one of the supported little-endian dtypes, C order. */
export function decodeNpy(bytes: Uint8Array): NpyTensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new UnetError('CORRUPT', 'not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new UnetError('CORRUPT', '.npy header runs past the end of the file');
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new UnetError('CORRUPT', `unreadable .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new UnetError('UNSUPPORTED', '.npy files in Fortran order are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new UnetError('CORRUPT', `bad .npy shape (${shapeText})`);
  const entry = DESCR.find(([d]) => d === descr || (d.startsWith('|') && `<${d.slice(1)}` === descr));
  if (!entry) throw new UnetError('UNSUPPORTED', `.npy dtype ${descr} is not supported`);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = entry[1](count);
  const offset = start + headerLength;
  if (offset + data.byteLength > bytes.length) throw new UnetError('CORRUPT', '.npy data is shorter than its shape says');
  new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + data.byteLength));
  return { shape, data };
}
