import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { encodeGrayPng } from '../../src-main/io/png/png-writer';
import { encodeTiff } from '../../src-main/io/tiff/tiff-writer';
import { createRandom } from './prng';
import { buildTiff, type TiffPage } from './tiff-layout';

export type SeedFormat = 'tiff' | 'png' | 'jpeg';

/** A valid image the corpus is mutated from. */
export interface Seed {
  name: string;
  format: SeedFormat;
  bytes: Uint8Array;
}

/** A smooth ramp plus seeded noise: compresses somewhat, and every sample matters. */
function pattern(length: number, max: number, seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length }, (_, i) => Math.min(max, Math.floor(((i * 7) % (max + 1)) * 0.8 + random.next() * max * 0.2)));
}

function page(width: number, height: number, channels: 1 | 3, sampleType: TiffPage['sampleType'], extra: Partial<TiffPage> = {}, seed = 1): TiffPage {
  const n = width * height * channels;
  const data =
    sampleType === 'uint8' ? Uint8Array.from(pattern(n, 255, seed))
      : sampleType === 'uint16' ? Uint16Array.from(pattern(n, 65535, seed))
        : Float32Array.from(pattern(n, 1000, seed), (v) => v / 1000);
  return { width, height, channels, sampleType, data, ...extra };
}

/** Seeds written by the app's own TIFF and PNG writers, pngjs, jpeg-js and the corpus's TIFF builder. */
export function generatedSeeds(): Seed[] {
  const tiff = (name: string, bytes: Uint8Array): Seed => ({ name, format: 'tiff', bytes });
  const u8 = Uint8Array.from(pattern(64 * 48, 255, 2));
  const u16 = Uint16Array.from(pattern(64 * 48, 65535, 3));
  const f32 = Float32Array.from(pattern(40 * 30, 1000, 4), (v) => v / 1000);
  const rgba = pngjs.PNG.sync.write(Object.assign(new pngjs.PNG({ width: 40, height: 30 }), { data: Buffer.from(pattern(40 * 30 * 4, 255, 5)) }), {
    colorType: 6,
  });
  const rgb = pngjs.PNG.sync.write(Object.assign(new pngjs.PNG({ width: 33, height: 21 }), { data: Buffer.from(pattern(33 * 21 * 4, 255, 6)) }), {
    colorType: 2,
  });
  const jpegRgb = jpeg.encode({ width: 48, height: 40, data: Buffer.from(pattern(48 * 40 * 4, 255, 7)) }, 85).data;
  const seeds: Seed[] = [
    tiff('app-u8-deflate.tif', encodeTiff({ width: 64, height: 48, channels: 1, sampleType: 'uint8', data: u8, compression: 'deflate' })),
    tiff('app-u16-none.tif', encodeTiff({ width: 64, height: 48, channels: 1, sampleType: 'uint16', data: u16, compression: 'none' })),
    tiff('app-f32-deflate.tif', encodeTiff({ width: 40, height: 30, channels: 1, sampleType: 'float32', data: f32, compression: 'deflate' })),
    tiff('build-u8-strips.tif', buildTiff([page(37, 29, 1, 'uint8', { rowsPerStrip: 8 })])),
    tiff('build-u16-tiled-deflate.tif', buildTiff([page(40, 36, 1, 'uint16', { tile: 16, compression: 'deflate' })])),
    tiff('build-rgb8-be.tif', buildTiff([page(30, 20, 3, 'uint8', { rowsPerStrip: 5 })], { bigEndian: true })),
    tiff('build-stack3-u16.tif', buildTiff([1, 2, 3].map((s) => page(24, 20, 1, 'uint16', { rowsPerStrip: 10 }, s)))),
    tiff('build-bigtiff-u8.tif', buildTiff([page(33, 20, 1, 'uint8', { rowsPerStrip: 8 })], { bigTiff: true })),
    tiff('build-bigtiff-be-tiled-u16.tif', buildTiff([page(40, 40, 1, 'uint16', { tile: 32, compression: 'deflate' })], { bigTiff: true, bigEndian: true })),
    tiff('build-bigtiff-stack2-f32.tif', buildTiff([page(20, 16, 1, 'float32', {}, 8), page(20, 16, 1, 'float32', {}, 9)], { bigTiff: true })),
    { name: 'app-gray8.png', format: 'png', bytes: encodeGrayPng(u8, 64, 48) },
    { name: 'app-gray16.png', format: 'png', bytes: encodeGrayPng(u16, 64, 48) },
    { name: 'pngjs-rgba8.png', format: 'png', bytes: new Uint8Array(rgba) },
    { name: 'pngjs-rgb8.png', format: 'png', bytes: new Uint8Array(rgb) },
    { name: 'jpegjs-rgb.jpg', format: 'jpeg', bytes: new Uint8Array(jpegRgb) },
  ];
  // Plain copies: a Buffer's slice() is a view, and mutations must never write into a seed.
  return seeds.map((s) => ({ ...s, bytes: Uint8Array.from(s.bytes) }));
}

/** The small committed fixtures (test/fixtures/images), when that folder is there. */
export function fixtureSeeds(dir: string): Seed[] {
  if (!existsSync(dir)) return [];
  const formats: Record<string, SeedFormat> = { '.tif': 'tiff', '.tiff': 'tiff', '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg' };
  return readdirSync(dir)
    .filter((name) => formats[path.extname(name).toLowerCase()] !== undefined)
    .sort()
    .map((name) => ({ name: `fixture-${name}`, format: formats[path.extname(name).toLowerCase()], bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
}
