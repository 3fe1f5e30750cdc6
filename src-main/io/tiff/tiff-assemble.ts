import { GeoTIFFImage } from 'geotiff';
import { allocatePixels, type PixelArray } from '../image-types';
import type { Region } from '../region';
import { blockCount, blockRows, type TiffPage } from './tiff-page';
import { Photometric } from './tiff-tags';

/*
 * Copies the decoded blocks (little-endian samples of the page's container type, see tiff-block.ts) that a
 * window touches into one HWC array. Chunky pages, the usual case, are copied row by row with
 * TypedArray.set: geotiff's readRasters reads every sample through a DataView call, which measured about
 * 90% of decode time on a 4096 x 4096 16-bit Deflate TIFF (scripts/bench/imaging-io.ts). Separate sample
 * planes and 16-bit floats, where each sample needs moving or converting anyway, go through geotiff.
 */

/** Decodes block `index`; throws a UnetError naming the block when its data is bad. */
export type BlockDecoder = (index: number) => ArrayBuffer;

type ContainerArray = PixelArray | Float64Array;

function containerView(page: TiffPage, buffer: ArrayBuffer): ContainerArray {
  if (page.sampleFormat === 3) return page.containerBits === 64 ? new Float64Array(buffer) : new Float32Array(buffer);
  const signed = page.sampleFormat === 2;
  switch (page.containerBits) {
    case 8: return signed ? new Int8Array(buffer) : new Uint8Array(buffer);
    case 16: return signed ? new Int16Array(buffer) : new Uint16Array(buffer);
    default: return signed ? new Int32Array(buffer) : new Uint32Array(buffer);
  }
}

export function needsGeotiff(page: TiffPage): boolean {
  return page.planar === 2 || (page.sampleFormat === 3 && page.containerBits === 16);
}

/** Row copies from each block of a chunky page. `indices` are the blocks that intersect `region`. */
export function assembleChunky(page: TiffPage, region: Region, indices: number[], decode: BlockDecoder): PixelArray {
  const spp = page.samplesPerPixel;
  const out = allocatePixels(page.dtype, region.width * region.height * spp);
  const right = region.x + region.width;
  const bottom = region.y + region.height;
  for (const index of indices) {
    const bx = index % page.blocksAcross;
    const by = Math.floor(index / page.blocksAcross);
    const left = bx * page.blockWidth;
    const top = by * page.blockHeight;
    const x0 = Math.max(region.x, left);
    const x1 = Math.min(right, left + page.blockWidth, page.width);
    const y0 = Math.max(region.y, top);
    const y1 = Math.min(bottom, top + blockRows(page, index), page.height);
    const block = containerView(page, decode(index));
    const span = (x1 - x0) * spp;
    for (let y = y0; y < y1; y++) {
      const from = ((y - top) * page.blockWidth + (x0 - left)) * spp;
      out.set(block.subarray(from, from + span), ((y - region.y) * region.width + (x0 - region.x)) * spp);
    }
  }
  return out;
}

/** geotiff's readRasters over already-decoded blocks: it is handed block numbers as offsets, never the file. */
export async function assembleWithGeotiff(page: TiffPage, region: Region, decode: BlockDecoder): Promise<PixelArray> {
  const count = blockCount(page);
  const blockNumbers = Array.from({ length: count }, (_, i) => i);
  const ones = new Array<number>(count).fill(1);
  const directory: Record<string, unknown> = {
    ImageWidth: page.width,
    ImageLength: page.height,
    SamplesPerPixel: page.samplesPerPixel,
    BitsPerSample: new Array<number>(page.samplesPerPixel).fill(page.containerBits),
    SampleFormat: new Array<number>(page.samplesPerPixel).fill(page.sampleFormat),
    PlanarConfiguration: page.planar,
    PhotometricInterpretation: Photometric.MinIsBlack,
    Compression: 1,
    ...(page.tiled
      ? { TileWidth: page.blockWidth, TileLength: page.blockHeight, TileOffsets: blockNumbers, TileByteCounts: ones }
      : { RowsPerStrip: page.blockHeight, StripOffsets: blockNumbers, StripByteCounts: ones }),
  };
  const source = { fetch: async (slices: { offset: number }[]) => slices.map(({ offset }) => decode(offset)) };
  // No worker pool: decoding already happened in `decode`, in-process, so every failure is catchable here.
  const passThrough = { decode: async (_directory: unknown, block: ArrayBuffer) => block };
  const image = new GeoTIFFImage(directory, null, null as unknown as DataView, true, false,
    source as unknown as ConstructorParameters<typeof GeoTIFFImage>[5]);
  const raster = await image.readRasters({
    window: [region.x, region.y, region.x + region.width, region.y + region.height],
    interleave: true,
    pool: passThrough,
  }) as unknown as ContainerArray;
  if (raster instanceof Float64Array) return Float32Array.from(raster);
  const out = allocatePixels(page.dtype, raster.length);
  out.set(raster);
  return out;
}
