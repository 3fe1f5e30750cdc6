import { decompressBlock, reverseBitOrder } from './tiff-decompress';
import { blockRowBytes, blockRows, type TiffPage } from './tiff-page';

/*
 * Turns the stored bytes of one strip or tile into whole little-endian samples of the page's container
 * size (8/16/32/64 bits), so the raster assembly downstream sees one simple layout for every file:
 * decompress -> undo predictor -> widen odd bit depths / swap byte order.
 */

export class BlockError extends Error {}

function swapBytes(bytes: Uint8Array, size: number, length: number): void {
  for (let i = 0; i + size <= length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Horizontal differencing (predictor 2) on little-endian samples. */
function undoHorizontal(bytes: Uint8Array, page: TiffPage, rows: number): void {
  const stride = page.planar === 2 ? 1 : page.samplesPerPixel;
  const rowSamples = page.blockWidth * stride;
  const samples = page.bitsPerSample === 8 ? bytes
    : page.bitsPerSample === 16 ? new Uint16Array(bytes.buffer, bytes.byteOffset, rowSamples * rows)
      : new Uint32Array(bytes.buffer, bytes.byteOffset, rowSamples * rows);
  for (let r = 0; r < rows; r++) {
    const start = r * rowSamples;
    for (let i = start + stride; i < start + rowSamples; i++) samples[i] += samples[i - stride];
  }
}

/** Floating-point predictor (3): byte-wise differencing over byte planes stored most significant first. */
function undoFloatingPoint(bytes: Uint8Array, page: TiffPage, rows: number): void {
  const stride = page.planar === 2 ? 1 : page.samplesPerPixel;
  const sampleBytes = page.bitsPerSample / 8;
  const rowSamples = page.blockWidth * stride;
  const rowBytes = rowSamples * sampleBytes;
  const planes = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = (row[i] + row[i - stride]) & 0xff;
    planes.set(row);
    for (let s = 0; s < rowSamples; s++) {
      for (let b = 0; b < sampleBytes; b++) row[s * sampleBytes + b] = planes[(sampleBytes - 1 - b) * rowSamples + s];
    }
  }
}

/** Widens bit-packed samples (1..31 bits that are not whole bytes) to little-endian containers. */
function unpackBits(packed: Uint8Array, page: TiffPage, rows: number, capacityRows: number): Uint8Array {
  const samplesPerRow = page.blockWidth * (page.planar === 2 ? 1 : page.samplesPerPixel);
  const bits = page.bitsPerSample;
  const containerBytes = page.containerBits / 8;
  const out = new Uint8Array(samplesPerRow * capacityRows * containerBytes);
  const view = new DataView(out.buffer);
  const rowBytes = blockRowBytes(page);
  for (let r = 0; r < rows; r++) {
    let bitPos = r * rowBytes * 8;
    for (let s = 0; s < samplesPerRow; s++) {
      let value = 0;
      for (let b = 0; b < bits; b++, bitPos++) {
        value = value * 2 + ((packed[bitPos >> 3] >> (7 - (bitPos & 7))) & 1);
      }
      const at = (r * samplesPerRow + s) * containerBytes;
      if (containerBytes === 1) out[at] = value;
      else if (containerBytes === 2) view.setUint16(at, value, true);
      else view.setUint32(at, value, true);
    }
  }
  return out;
}

/** 24-bit samples are stored in the file's byte order; widen them to 32-bit little-endian. */
function widen24(bytes: Uint8Array, page: TiffPage, samples: number): Uint8Array {
  const out = new Uint8Array(samples * 4);
  for (let s = 0; s < samples; s++) {
    const i = s * 3;
    const o = s * 4;
    if (page.littleEndian) {
      out[o] = bytes[i];
      out[o + 1] = bytes[i + 1];
      out[o + 2] = bytes[i + 2];
    } else {
      out[o] = bytes[i + 2];
      out[o + 1] = bytes[i + 1];
      out[o + 2] = bytes[i];
    }
  }
  return out;
}

/**
 * Decodes block `index` of `page` from its stored bytes. The result always spans the full block
 * (tileWidth x tileHeight), rows past the image edge left zero. Throws BlockError when the data is short.
 */
export function decodeBlock(page: TiffPage, index: number, stored: Uint8Array): ArrayBuffer {
  const rowBytes = blockRowBytes(page);
  const rows = blockRows(page, index);
  const needed = rowBytes * rows;
  const input = page.fillOrder === 2 ? reverseBitOrder(stored) : stored;
  const raw = new Uint8Array(rowBytes * page.blockHeight);
  const produced = decompressBlock(page.compression, input, raw);
  if (produced < needed) {
    throw new BlockError(`holds ${produced} of the ${needed} bytes its size needs (truncated or damaged)`);
  }
  const bits = page.bitsPerSample;
  const samplesPerRow = page.blockWidth * (page.planar === 2 ? 1 : page.samplesPerPixel);
  if (bits === 24) return widen24(raw, page, samplesPerRow * page.blockHeight).buffer as ArrayBuffer;
  if (bits % 8 !== 0) return unpackBits(raw, page, rows, page.blockHeight).buffer as ArrayBuffer;
  if (page.predictor === 3) {
    undoFloatingPoint(raw, page, rows);
    return raw.buffer as ArrayBuffer;
  }
  if (!page.littleEndian && bits > 8) swapBytes(raw, bits / 8, needed);
  if (page.predictor === 2) undoHorizontal(raw, page, rows);
  return raw.buffer as ArrayBuffer;
}
