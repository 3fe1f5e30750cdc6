import { inflateSync } from 'node:zlib';
import { Compression } from './tiff-tags';

/*
 * Strip/tile decompressors. geotiff ships its own, but they grow a JS array without bound (a 1 MB LZW or
 * Deflate "bomb" becomes gigabytes), print to the console on the common "no EOI code" case, and are slow.
 * These write into a buffer sized from the header and stop there, so memory never exceeds what the
 * header declared and was checked against the size limit.
 */

const LZW_CLEAR = 256;
const LZW_EOI = 257;
const LZW_FIRST = 258;
const LZW_TABLE = 4096;
/** Longest string one 12-bit LZW code can stand for (codes 258..4095 each add one byte). */
const LZW_MAX_RUN = LZW_TABLE - LZW_FIRST + 2;

/**
 * Largest number of bytes `byteCount` compressed bytes can expand to; a header whose blocks would
 * need more is impossible and rejected before anything is allocated.
 */
export function maxDecodedBytes(compression: number, byteCount: number): number {
  switch (compression) {
    case Compression.None:
      return byteCount;
    case Compression.Lzw:
      return (Math.ceil((byteCount * 8) / 9) + 1) * LZW_MAX_RUN;
    case Compression.Deflate:
    case Compression.AdobeDeflate:
      return byteCount * 1032 + 1024;
    case Compression.PackBits:
      return Math.ceil(byteCount / 2) * 128;
    default:
      return Infinity;
  }
}

// Code tables shared by all calls: entries 0..255 never change and 258.. are written before they are read.
const lzwPrefix = new Uint16Array(LZW_TABLE);
const lzwSuffix = new Uint8Array(LZW_TABLE);
const lzwFirst = new Uint8Array(LZW_TABLE);
const lzwLength = new Uint16Array(LZW_TABLE);
for (let i = 0; i < 256; i++) {
  lzwSuffix[i] = i;
  lzwFirst[i] = i;
  lzwLength[i] = 1;
}

/**
 * TIFF LZW (MSB-first codes, "early change" width switch, as libtiff writes it). Fills `out` and stops;
 * returns the bytes produced. A stream that ends without an EOI code is accepted if it produced enough:
 * some writers omit EOI, and libtiff reads such files too.
 */
export function decodeLzw(input: Uint8Array, out: Uint8Array): number {
  const prefix = lzwPrefix;
  const suffix = lzwSuffix;
  const first = lzwFirst;
  const lengths = lzwLength;
  const inLength = input.length;
  const outLength = out.length;
  let next = LZW_FIRST;
  let width = 9;
  let mask = 511;
  let bits = 0;
  let bitCount = 0;
  let ip = 0;
  let op = 0;
  let old = -1;
  while (op < outLength) {
    if (bitCount < width) {
      if (ip + 1 < inLength) {
        bits = (bits << 16) | (input[ip] << 8) | input[ip + 1];
        ip += 2;
        bitCount += 16;
      } else if (ip < inLength) {
        bits = (bits << 8) | input[ip++];
        bitCount += 8;
        if (bitCount < width) return op;
      } else {
        return op;
      }
    }
    bitCount -= width;
    const code = (bits >>> bitCount) & mask;
    if (code === LZW_EOI) break;
    if (code === LZW_CLEAR) {
      next = LZW_FIRST;
      width = 9;
      mask = 511;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`LZW code ${code} follows a clear code`);
      out[op++] = code;
      old = code;
      continue;
    }
    let length: number;
    let head: number;
    if (code < next) {
      length = lengths[code];
      head = first[code];
      if (length === 1) {
        out[op] = code;
      } else if (op + length <= outLength) {
        let c = code;
        for (let k = op + length - 1; k >= op; k--) {
          out[k] = suffix[c];
          c = prefix[c];
        }
      } else {
        let c = code;
        for (let k = length - 1; k >= 0; k--) {
          if (op + k < outLength) out[op + k] = suffix[c];
          c = prefix[c];
        }
      }
    } else if (code === next) {
      length = lengths[old] + 1;
      head = first[old];
      let c = old;
      for (let k = length - 2; k >= 0; k--) {
        if (op + k < outLength) out[op + k] = suffix[c];
        c = prefix[c];
      }
      if (op + length - 1 < outLength) out[op + length - 1] = head;
    } else {
      throw new Error(`LZW code ${code} is not in the table yet (next free code ${next})`);
    }
    if (next < LZW_TABLE) {
      prefix[next] = old;
      suffix[next] = head;
      first[next] = first[old];
      lengths[next] = lengths[old] + 1;
      next++;
      if (next >= mask && width < 12) {
        width++;
        mask = (1 << width) - 1;
      }
    }
    old = code;
    op += length;
  }
  return Math.min(op, outLength);
}

/** PackBits (Apple run-length), bounded by `out`. */
export function decodePackBits(input: Uint8Array, out: Uint8Array): number {
  const inLength = input.length;
  const outLength = out.length;
  let ip = 0;
  let op = 0;
  while (ip < inLength && op < outLength) {
    const header = (input[ip++] << 24) >> 24;
    if (header >= 0) {
      const count = header + 1;
      if (ip + count > inLength) throw new Error('PackBits literal run passes the end of the data');
      const take = Math.min(count, outLength - op);
      out.set(input.subarray(ip, ip + take), op);
      ip += count;
      op += take;
    } else if (header !== -128) {
      if (ip >= inLength) throw new Error('PackBits repeat run passes the end of the data');
      const take = Math.min(1 - header, outLength - op);
      out.fill(input[ip++], op, op + take);
      op += take;
    }
  }
  return op;
}

export function decodeDeflate(input: Uint8Array, out: Uint8Array): number {
  let inflated: Buffer;
  try {
    inflated = inflateSync(input, { maxOutputLength: out.length });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`Deflate data expands beyond the ${out.length} bytes the header declares`);
    }
    throw new Error(`Deflate data is damaged (${(error as Error).message})`);
  }
  out.set(inflated);
  return inflated.length;
}

const REVERSED_BITS = (() => {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
    table[i] = r;
  }
  return table;
})();

/** FillOrder 2 stores the bits of each byte in reverse; undo it before decoding. */
export function reverseBitOrder(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = REVERSED_BITS[input[i]];
  return out;
}

/** Decompresses one block into `out`; returns the number of bytes produced. */
export function decompressBlock(compression: number, input: Uint8Array, out: Uint8Array): number {
  switch (compression) {
    case Compression.None: {
      const length = Math.min(input.length, out.length);
      out.set(input.subarray(0, length));
      return length;
    }
    case Compression.Lzw:
      return decodeLzw(input, out);
    case Compression.Deflate:
    case Compression.AdobeDeflate:
      return decodeDeflate(input, out);
    case Compression.PackBits:
      return decodePackBits(input, out);
    default:
      throw new Error(`compression ${compression} has no decoder`);
  }
}
