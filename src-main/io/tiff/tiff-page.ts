import type { BoundedFile } from '../bounded-file';
import type { ImageDtype, PixelSize } from '../image-types';
import { corrupt, unsupported } from '../io-errors';
import { pixelSizeFromDensity } from '../pixel-size';
import { describeStack } from './tiff-axes';
import { maxDecodedBytes } from './tiff-decompress';
import type { Ifd, TagValue, TiffHeader } from './tiff-ifd';
import { Compression, Photometric, SUPPORTED_COMPRESSIONS, Tag, compressionName } from './tiff-tags';

/** One TIFF page, interpreted and checked: every block it lists lies inside the file and can hold its pixels. */
export interface TiffPage {
  index: number;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  /** 1 unsigned, 2 signed, 3 float. */
  sampleFormat: 1 | 2 | 3;
  /** Bits of the typed-array element the samples are widened to (8, 16, 32, 64). */
  containerBits: 8 | 16 | 32 | 64;
  dtype: ImageDtype;
  compression: number;
  predictor: 1 | 2 | 3;
  planar: 1 | 2;
  photometric: number;
  fillOrder: 1 | 2;
  littleEndian: boolean;
  tiled: boolean;
  /** Tile size, or image width x rows per strip. */
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  offsets: number[];
  byteCounts: number[];
  colorSpace: 'gray' | 'rgb';
  alpha: boolean;
  pixelSize?: PixelSize;
}

function numbers(tags: Map<number, TagValue>, tag: number): number[] | undefined {
  const value = tags.get(tag);
  return Array.isArray(value) ? value : undefined;
}

function scalar(tags: Map<number, TagValue>, tag: number, fallback: number): number {
  const value = numbers(tags, tag);
  return value && value.length > 0 ? value[0] : fallback;
}

/** Per-sample tags (BitsPerSample, SampleFormat) must agree across samples: one typed array holds them all. */
function uniform(path: string, values: number[] | undefined, fallback: number, name: string): number {
  if (!values || values.length === 0) return fallback;
  if (values.some((v) => v !== values[0])) {
    throw unsupported(path, `samples of different ${name} (${values.join(', ')}) are not supported`);
  }
  return values[0];
}

function sampleType(path: string, format: number, bits: number): { dtype: ImageDtype; containerBits: 8 | 16 | 32 | 64 } {
  if (format === 1 || format === 4) {
    if (bits >= 1 && bits <= 8) return { dtype: 'uint8', containerBits: 8 };
    if (bits <= 16) return { dtype: 'uint16', containerBits: 16 };
    if (bits <= 32) return { dtype: 'uint32', containerBits: 32 };
  } else if (format === 2) {
    if (bits === 8) return { dtype: 'int8', containerBits: 8 };
    if (bits === 16) return { dtype: 'int16', containerBits: 16 };
    if (bits === 32) return { dtype: 'int32', containerBits: 32 };
  } else if (format === 3) {
    if (bits === 16) return { dtype: 'float32', containerBits: 16 };
    if (bits === 32) return { dtype: 'float32', containerBits: 32 };
    // 64-bit floats are narrowed to float32 after decoding; the pipeline computes in float32 anyway.
    if (bits === 64) return { dtype: 'float32', containerBits: 64 };
  } else {
    throw unsupported(path, `sample format ${format} (complex or unknown) is not supported`);
  }
  const kind = format === 2 ? 'signed' : format === 3 ? 'floating-point' : 'unsigned';
  throw unsupported(path, `${bits}-bit ${kind} samples are not supported`);
}

function pixelSizeOf(tags: Map<number, TagValue>): PixelSize | undefined {
  const x = scalar(tags, Tag.XResolution, NaN);
  const y = scalar(tags, Tag.YResolution, x);
  const description = tags.get(Tag.ImageDescription);
  const ome = typeof description === 'string' && description.startsWith('<') ? describeStack(description, 0, 1).pixelSize : undefined;
  if (ome) return ome;
  if (typeof description === 'string' && description.startsWith('ImageJ=')) {
    const unit = /^unit=(.*)$/m.exec(description)?.[1];
    if (unit !== undefined) return pixelSizeFromDensity(x, y, unit);
  }
  const unit = scalar(tags, Tag.ResolutionUnit, 2);
  return unit === 3 ? pixelSizeFromDensity(x, y, 'cm') : undefined;
}

/** Bytes of one row of a block (rows are padded to a whole byte). */
export function blockRowBytes(page: TiffPage): number {
  const samples = page.planar === 2 ? 1 : page.samplesPerPixel;
  return Math.ceil((page.blockWidth * samples * page.bitsPerSample) / 8);
}

/** Rows actually holding image data in block `index` (the last strip of a plane may be short). */
export function blockRows(page: TiffPage, index: number): number {
  if (page.tiled) return page.blockHeight;
  const row = (index % page.blocksDown) * page.blockHeight;
  return Math.min(page.blockHeight, page.height - row);
}

export function blockCount(page: TiffPage): number {
  return page.blocksAcross * page.blocksDown * (page.planar === 2 ? page.samplesPerPixel : 1);
}

function checkBlocks(file: BoundedFile, page: TiffPage): void {
  const kind = page.tiled ? 'tile' : 'strip';
  const count = blockCount(page);
  if (page.offsets.length < count || page.byteCounts.length < count) {
    throw corrupt(file.path, `page ${page.index} lists ${Math.min(page.offsets.length, page.byteCounts.length)} ${kind}s, `
      + `its size needs ${count}`);
  }
  const rowBytes = blockRowBytes(page);
  for (let i = 0; i < count; i++) {
    const offset = page.offsets[i];
    const byteCount = page.byteCounts[i];
    if (byteCount === 0) throw corrupt(file.path, `${kind} ${i} of page ${page.index} has no data (byte count 0)`);
    file.checkRange(offset, byteCount, `${kind} ${i} of page ${page.index}`);
    const needed = rowBytes * blockRows(page, i);
    if (maxDecodedBytes(page.compression, byteCount) < needed) {
      throw corrupt(file.path, `${kind} ${i} of page ${page.index} is truncated: ${byteCount} bytes cannot hold `
        + `${needed} bytes of ${compressionName(page.compression)} data`);
    }
  }
}

/** Interprets and validates one IFD; throws CORRUPT / UNSUPPORTED naming the file and the reason. */
export function parsePage(file: BoundedFile, header: TiffHeader, ifd: Ifd, index: number): TiffPage {
  const { tags } = ifd;
  const path = file.path;
  const width = scalar(tags, Tag.ImageWidth, 0);
  const height = scalar(tags, Tag.ImageLength, 0);
  if (!(width >= 1 && height >= 1)) throw corrupt(path, `page ${index} has no size (${width} x ${height})`);
  const samplesPerPixel = scalar(tags, Tag.SamplesPerPixel, 1);
  if (!(samplesPerPixel >= 1 && samplesPerPixel <= 1024)) {
    throw corrupt(path, `page ${index} has ${samplesPerPixel} samples per pixel`);
  }
  const bitsPerSample = uniform(path, numbers(tags, Tag.BitsPerSample), 1, 'bit depths');
  const sampleFormat = uniform(path, numbers(tags, Tag.SampleFormat), 1, 'sample formats');
  const { dtype, containerBits } = sampleType(path, sampleFormat, bitsPerSample);

  const compression = scalar(tags, Tag.Compression, Compression.None);
  if (!SUPPORTED_COMPRESSIONS.has(compression)) {
    throw unsupported(path, `${compressionName(compression)} compression (TIFF code ${compression}) is not supported; `
      + 'supported: none, LZW, Deflate, PackBits', { compression });
  }
  const predictor = scalar(tags, Tag.Predictor, 1);
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) throw unsupported(path, `predictor ${predictor} is not supported`);
  if (predictor === 2 && (sampleFormat === 3 || ![8, 16, 32].includes(bitsPerSample))) {
    throw unsupported(path, `horizontal predictor with ${bitsPerSample}-bit samples is not supported`);
  }
  if (predictor === 3 && sampleFormat !== 3) throw unsupported(path, 'floating-point predictor on integer samples');

  const planar = scalar(tags, Tag.PlanarConfiguration, 1);
  if (planar !== 1 && planar !== 2) throw corrupt(path, `planar configuration ${planar} is invalid`);
  const fillOrder = scalar(tags, Tag.FillOrder, 1);
  if (fillOrder !== 1 && fillOrder !== 2) throw corrupt(path, `fill order ${fillOrder} is invalid`);

  const photometric = scalar(tags, Tag.Photometric, Photometric.MinIsBlack);
  if (photometric > Photometric.Mask && photometric !== 5) {
    throw unsupported(path, `photometric interpretation ${photometric} (YCbCr, CIELab, LogLuv, ...) is not supported`);
  }
  if (photometric === Photometric.Rgb && samplesPerPixel < 3) throw corrupt(path, 'RGB page with fewer than 3 samples');

  const tileWidth = scalar(tags, Tag.TileWidth, 0);
  const tileLength = scalar(tags, Tag.TileLength, 0);
  const tiled = tags.has(Tag.TileOffsets) || tileWidth > 0;
  let blockWidth: number;
  let blockHeight: number;
  let offsets: number[] | undefined;
  let byteCounts: number[] | undefined;
  if (tiled) {
    if (!(tileWidth >= 1 && tileLength >= 1)) throw corrupt(path, `tile size ${tileWidth} x ${tileLength} is invalid`);
    blockWidth = tileWidth;
    blockHeight = tileLength;
    offsets = numbers(tags, Tag.TileOffsets);
    byteCounts = numbers(tags, Tag.TileByteCounts);
  } else {
    const rowsPerStrip = scalar(tags, Tag.RowsPerStrip, height);
    if (!(rowsPerStrip >= 1)) throw corrupt(path, `rows per strip ${rowsPerStrip} is invalid`);
    blockWidth = width;
    blockHeight = Math.min(rowsPerStrip, height);
    offsets = numbers(tags, Tag.StripOffsets);
    byteCounts = numbers(tags, Tag.StripByteCounts);
  }
  const kind = tiled ? 'tile' : 'strip';
  if (!offsets) throw corrupt(path, `page ${index} has no ${kind} offsets`);

  const extraSamples = numbers(tags, Tag.ExtraSamples) ?? [];
  const colorSpace = photometric === Photometric.Rgb ? 'rgb' : 'gray';
  const lastExtra = extraSamples[extraSamples.length - 1];
  const alpha = (lastExtra === 1 || lastExtra === 2) && samplesPerPixel >= 2;

  const page: TiffPage = {
    index,
    width,
    height,
    samplesPerPixel,
    bitsPerSample,
    sampleFormat: sampleFormat === 4 ? 1 : (sampleFormat as 1 | 2 | 3),
    containerBits,
    dtype,
    compression,
    predictor: predictor as 1 | 2 | 3,
    planar: planar as 1 | 2,
    photometric,
    fillOrder: fillOrder as 1 | 2,
    littleEndian: header.littleEndian,
    tiled,
    blockWidth,
    blockHeight,
    blocksAcross: Math.ceil(width / blockWidth),
    blocksDown: Math.ceil(height / blockHeight),
    offsets,
    byteCounts: byteCounts ?? [],
    colorSpace,
    alpha,
    pixelSize: pixelSizeOf(tags),
  };
  if (!byteCounts) {
    // Some old writers omit byte counts for uncompressed data; libtiff then assumes full blocks.
    if (compression !== Compression.None) throw corrupt(path, `page ${index} has no ${kind} byte counts`);
    page.byteCounts = offsets.map((_, i) => blockRowBytes(page) * blockRows(page, i));
  }
  checkBlocks(file, page);
  return page;
}
