import { deflateSync } from 'node:zlib';
import type { PixelSize } from '../image-types';

/*
 * A small baseline TIFF writer: little-endian classic TIFF, one IFD, chunky samples in strips of about
 * 64 KiB, uncompressed or Deflate. geotiff's writeArrayBuffer is built for GeoTIFF rasters (it writes
 * geo keys, and picks types from JS values), so label maps and float probability maps are written
 * here instead, in the plain form ImageJ, Fiji, libtiff and tifffile all open.
 */

export type TiffSampleType = 'uint8' | 'uint16' | 'float32';

export interface TiffImageToWrite {
  width: number;
  height: number;
  channels: number;
  sampleType: TiffSampleType;
  data: Uint8Array | Uint16Array | Float32Array;
  compression: 'none' | 'deflate';
  pixelSize?: PixelSize;
  /** Display range for ImageJ (labels: 0 .. largest label), written into its description. */
  displayRange?: { min: number; max: number };
}

const STRIP_BYTES = 64 * 1024;

const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;

interface Entry {
  tag: number;
  type: number;
  values: number[];
}

/** Pixels per centimetre as a RATIONAL that fits 32 bits. */
function rational(value: number): [number, number] {
  const denominator = Math.max(1, Math.min(1_000_000, Math.floor(0xffffffff / Math.max(1, Math.ceil(value)))));
  return [Math.min(0xffffffff, Math.round(value * denominator)), denominator];
}

function typeSize(type: number): number {
  return type === ASCII ? 1 : type === SHORT ? 2 : type === LONG ? 4 : 8;
}

/**
 * The ImageDescription ImageJ writes for a single image, so Fiji opens the file calibrated: with a
 * `unit`, ImageJ reads X/YResolution as pixels per that unit (and ResolutionUnit is "none").
 */
export function imagejDescription(image: Pick<TiffImageToWrite, 'pixelSize' | 'displayRange'>): string {
  const lines = ['ImageJ=1.54f', 'images=1'];
  if (calibrated(image.pixelSize)) lines.push('unit=micron');
  if (image.displayRange) lines.push(`min=${image.displayRange.min}`, `max=${image.displayRange.max}`);
  return `${lines.join('\n')}\n`;
}

function calibrated(size: PixelSize | undefined): size is PixelSize {
  return !!size && size.unit === 'µm' && size.x > 0 && size.y > 0 && Number.isFinite(size.x) && Number.isFinite(size.y);
}

function rawBytes(image: TiffImageToWrite): Uint8Array {
  const { data } = image;
  // TypedArrays are host-endian; every platform Node runs on is little-endian, matching the "II" header.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function encodeTiff(image: TiffImageToWrite): Uint8Array {
  const bytesPerSample = image.sampleType === 'uint8' ? 1 : image.sampleType === 'uint16' ? 2 : 4;
  const rowBytes = image.width * image.channels * bytesPerSample;
  const rowsPerStrip = Math.max(1, Math.min(image.height, Math.floor(STRIP_BYTES / rowBytes)));
  const raw = rawBytes(image);
  const strips: Uint8Array[] = [];
  for (let row = 0; row < image.height; row += rowsPerStrip) {
    const strip = raw.subarray(row * rowBytes, Math.min(image.height, row + rowsPerStrip) * rowBytes);
    strips.push(image.compression === 'deflate' ? deflateSync(strip, { level: 6 }) : strip);
  }

  const spp = image.channels;
  const entries: Entry[] = [
    { tag: 254, type: LONG, values: [0] },
    { tag: 256, type: LONG, values: [image.width] },
    { tag: 257, type: LONG, values: [image.height] },
    { tag: 258, type: SHORT, values: new Array<number>(spp).fill(bytesPerSample * 8) },
    { tag: 259, type: SHORT, values: [image.compression === 'deflate' ? 8 : 1] },
    { tag: 262, type: SHORT, values: [1] },
    { tag: 273, type: LONG, values: strips.map(() => 0) },
    { tag: 277, type: SHORT, values: [spp] },
    { tag: 278, type: LONG, values: [rowsPerStrip] },
    { tag: 279, type: LONG, values: strips.map((s) => s.length) },
    { tag: 284, type: SHORT, values: [1] },
    { tag: 339, type: SHORT, values: new Array<number>(spp).fill(image.sampleType === 'float32' ? 3 : 1) },
  ];
  if (spp > 1) entries.push({ tag: 338, type: SHORT, values: new Array<number>(spp - 1).fill(0) });
  // One-channel images (labels, probabilities) carry ImageJ's description; others a plain resolution in cm.
  const imagej = spp === 1;
  if (imagej) entries.push({ tag: 270, type: ASCII, values: [...Buffer.from(imagejDescription(image), 'latin1'), 0] });
  if (calibrated(image.pixelSize)) {
    const perUnit = imagej ? 1 : 1e4;
    entries.push({ tag: 282, type: RATIONAL, values: rational(perUnit / image.pixelSize.x) });
    entries.push({ tag: 283, type: RATIONAL, values: rational(perUnit / image.pixelSize.y) });
    entries.push({ tag: 296, type: SHORT, values: [imagej ? 1 : 3] });
  }
  entries.sort((a, b) => a.tag - b.tag);

  // Layout: header | IFD | out-of-line tag values | strips.
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  let cursor = ifdOffset + ifdSize;
  const external = new Map<Entry, number>();
  for (const entry of entries) {
    const size = (entry.type === RATIONAL ? entry.values.length / 2 : entry.values.length) * typeSize(entry.type);
    if (size > 4) {
      external.set(entry, cursor);
      cursor += size + (size % 2);
    }
  }
  const stripOffsets: number[] = [];
  for (const strip of strips) {
    stripOffsets.push(cursor);
    cursor += strip.length;
  }
  if (cursor > 0xffffffff) throw new RangeError('image too large for a classic TIFF (4 GiB)');
  const offsetsEntry = entries.find((e) => e.tag === 273) as Entry;
  offsetsEntry.values = stripOffsets;

  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49]);
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, entries.length, true);
  const writeValues = (entry: Entry, at: number) => {
    entry.values.forEach((v, i) => {
      if (entry.type === ASCII) view.setUint8(at + i, v);
      else if (entry.type === SHORT) view.setUint16(at + 2 * i, v, true);
      else view.setUint32(at + 4 * i, v, true);
    });
  };
  entries.forEach((entry, i) => {
    const at = ifdOffset + 2 + i * 12;
    view.setUint16(at, entry.tag, true);
    view.setUint16(at + 2, entry.type, true);
    view.setUint32(at + 4, entry.type === RATIONAL ? entry.values.length / 2 : entry.values.length, true);
    const valueAt = external.get(entry);
    if (valueAt === undefined) {
      writeValues(entry, at + 8);
    } else {
      view.setUint32(at + 8, valueAt, true);
      writeValues(entry, valueAt);
    }
  });
  view.setUint32(ifdOffset + 2 + entries.length * 12, 0, true);
  strips.forEach((strip, i) => out.set(strip, stripOffsets[i]));
  return out;
}
