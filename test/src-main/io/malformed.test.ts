import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { readImage, readImageMetadata, readImageRegion } from '../../../src-main/io/read-image';
import { crc32 } from '../../../src-main/io/png/png-chunks';
import { fixturePath } from './fixture-pattern';
import { buildTiff, grayTags, nextPointerPosition, patchTag, readTag } from './tiff-bytes';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-malformed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

function save(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(work: Promise<unknown>): Promise<UnetError> {
  const outcome = await work.then(() => undefined, (e: unknown) => e);
  expect(outcome).toBeInstanceOf(UnetError);
  return outcome as UnetError;
}

/** Both the metadata read and the decode fail with `code`, naming the file and matching `reason`. */
async function expectBoth(path: string, code: string, reason: RegExp): Promise<void> {
  for (const error of [await failure(readImageMetadata(path)), await failure(readImage(path))]) {
    expect(error.code).toBe(code);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(reason);
  }
}

async function expectDecode(path: string, code: string, reason: RegExp): Promise<void> {
  const error = await failure(readImage(path));
  expect(error.code).toBe(code);
  expect(error.message).toContain(path);
  expect(error.message).toMatch(reason);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function png(width: number, height: number, idat: Uint8Array, colorType = 0, bitDepth = 8, interlace = 0): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([bitDepth, colorType, 0, 0, interlace], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0)),
  ]);
}

describe('not an image at all', () => {
  it('a missing file is NOT_FOUND', async () => {
    await expectBoth(join(dir, 'nothing-here.tif'), 'NOT_FOUND', /no such file/);
  });

  it('a folder is INVALID_ARGUMENT', async () => {
    const folder = join(dir, 'folder.tif');
    mkdirSync(folder);
    await expectBoth(folder, 'INVALID_ARGUMENT', /directory/);
  });

  it('a zero-byte file is CORRUPT', async () => {
    await expectBoth(save('empty.tif', new Uint8Array(0)), 'CORRUPT', /empty/);
  });

  it('text with an image extension is CORRUPT, text without one UNSUPPORTED', async () => {
    await expectBoth(save('text.png', 'hello, this is not a picture\n'), 'CORRUPT', /not a valid PNG/);
    await expectBoth(save('text.txt', 'hello, this is not a picture\n'), 'UNSUPPORTED', /not a TIFF, PNG or JPEG/);
  });

  it('a GIF is UNSUPPORTED and says so', async () => {
    await expectBoth(save('anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')), 'UNSUPPORTED', /GIF/);
  });
});

describe('damaged TIFF structure', () => {
  it('a bare header is CORRUPT', async () => {
    await expectBoth(save('header-only.tif', fixture('tiff-u16-none.tif').subarray(0, 8)), 'CORRUPT', /image directory 0 lies outside/);
  });

  it('a truncated file is CORRUPT before any decoding', async () => {
    const bytes = fixture('tiff-u16-lzw.tif');
    // tiffcp puts the IFD at the end: cutting the tail loses it.
    await expectBoth(save('cut-tail.tif', bytes.subarray(0, Math.floor(bytes.length * 0.6))), 'CORRUPT', /outside the file/);
    // tifffile puts the IFD first: cutting the tail loses strips the IFD still lists.
    const front = fixture('tiff-u16-none.tif');
    await expectBoth(save('cut-strips.tif', front.subarray(0, front.length - 500)), 'CORRUPT', /strip \d+ of page 0 lies outside the file/);
  });

  it('a strip offset or byte count pointing past the end is CORRUPT', async () => {
    const bytes = fixture('tiff-u16-none.tif');
    await expectBoth(save('far-offset.tif', patchTag(bytes, 273, 10_000_000, 2)), 'CORRUPT', /strip 2 of page 0 lies outside the file/);
    await expectBoth(save('huge-count.tif', patchTag(bytes, 279, 0xfffffff0, 1)), 'CORRUPT', /strip 1 of page 0 lies outside the file/);
  });

  it('a small file claiming 100000 x 100000 pixels is CORRUPT, its strips cannot hold them', async () => {
    const raw = buildTiff(grayTags(100000, 100000, 8, 1), [new Uint8Array(4096)]);
    await expectBoth(save('claims-huge.tif', raw), 'CORRUPT', /truncated/);
    const lzw = buildTiff(grayTags(100000, 100000, 16, 5), [new Uint8Array(4096).fill(0x80)]);
    await expectBoth(save('claims-huge-lzw.tif', lzw), 'CORRUPT', /cannot hold/);
  });

  it('a plausible header beyond the pixel limit is TOO_LARGE, before allocating', async () => {
    // 30000 x 30000 x 16 bit could come from 600 kB of LZW; the limit refuses it without decoding.
    const path = save('too-large.tif', buildTiff(grayTags(30000, 30000, 16, 5), [new Uint8Array(600_000).fill(0x55)]));
    await expectDecode(path, 'TOO_LARGE', /exceeds the limit/);
    await expect(readImageMetadata(path)).resolves.toMatchObject({ width: 30000, height: 30000 });
    const small = await failure(readImage(fixturePath('tiff-rgb8-none.tif'), { maxPixels: 37 * 23 * 3 - 1 }));
    expect(small.code).toBe('TOO_LARGE');
    await expect(readImage(fixturePath('tiff-rgb8-none.tif'), { maxPixels: 37 * 23 * 3 })).resolves.toBeTruthy();
  });

  it('an unsupported compression is UNSUPPORTED and named', async () => {
    const bytes = fixture('tiff-u8-none.tif');
    await expectBoth(save('jpeg2000.tif', patchTag(bytes, 259, 34712)), 'UNSUPPORTED', /jpeg2000 compression .* supported: none, LZW, Deflate, PackBits/);
    await expectBoth(save('zstd.tif', patchTag(bytes, 259, 50000)), 'UNSUPPORTED', /zstd/);
    await expectBoth(save('jpeg7.tif', patchTag(bytes, 259, 7)), 'UNSUPPORTED', /jpeg compression/);
    await expectBoth(save('unknown.tif', patchTag(bytes, 259, 4242)), 'UNSUPPORTED', /code 4242/);
  });

  it('unsupported sample types are UNSUPPORTED', async () => {
    const bytes = fixture('tiff-i16-none.tif');
    await expectBoth(save('complex.tif', patchTag(bytes, 339, 6)), 'UNSUPPORTED', /sample format 6/);
    await expectBoth(save('ycbcr.tif', patchTag(bytes, 262, 6)), 'UNSUPPORTED', /photometric interpretation 6/);
    await expectBoth(save('float-pred2.tif', patchTag(fixture('tiff-f32-deflate-fpred.tif'), 317, 2)), 'UNSUPPORTED', /horizontal predictor with 32-bit/);
    await expectBoth(save('int12.tif', patchTag(patchTag(bytes, 339, 2), 258, 12)), 'UNSUPPORTED', /12-bit signed/);
  });

  it('garbage in an LZW strip is CORRUPT, naming the strip', async () => {
    const bytes = fixture('tiff-u16-lzw.tif');
    const offset = readTag(bytes, 273, 1);
    const count = readTag(bytes, 279, 1);
    const damaged = bytes.slice();
    damaged.fill(0xff, offset, offset + count);
    const path = save('lzw-garbage.tif', damaged);
    await expectDecode(path, 'CORRUPT', /strip 1 of page 0/);
    await expect(readImageMetadata(path)).resolves.toMatchObject({ compression: 'lzw' });
  });

  it('a strip whose data ends early is CORRUPT (truncated)', async () => {
    const lzw = fixture('tiff-u16-lzw.tif');
    await expectDecode(save('lzw-short.tif', patchTag(lzw, 279, 40, 0)), 'CORRUPT', /strip 0 of page 0 holds \d+ of the 370 bytes/);
    const raw = fixture('tiff-u16-none.tif');
    await expectBoth(save('raw-short.tif', patchTag(raw, 279, 100, 0)), 'CORRUPT', /strip 0 of page 0 is truncated/);
  });

  it('a deflate bomb is CORRUPT without inflating it', async () => {
    // 64 MB of zeros deflate to about 64 kB; the header says one 64 x 64 strip (4 kB).
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const path = save('deflate-bomb.tif', buildTiff(grayTags(64, 64, 8, 8), [bomb]));
    await expectDecode(path, 'CORRUPT', /expands beyond the 4096 bytes/);
  });

  it('directories that loop, or point outside the file, are CORRUPT', async () => {
    const stack = fixture('tiff-stack3-u16-none.tif');
    const looped = stack.slice();
    const view = new DataView(looped.buffer);
    view.setUint32(nextPointerPosition(looped), view.getUint32(4, true), true);
    const lost = stack.slice();
    new DataView(lost.buffer).setUint32(nextPointerPosition(lost), 50_000_000, true);
    for (const [name, bytes, reason] of [['loop.tif', looped, /loop/], ['lost-page.tif', lost, /image directory 1 lies outside the file/]] as const) {
      const path = save(name, bytes);
      const errors = [await failure(readImageMetadata(path)), await failure(readImage(path, { frame: 1 }))];
      for (const error of errors) expect([error.code, error.message]).toEqual(['CORRUPT', expect.stringMatching(reason)]);
      // Pages before the damage stay readable, as in libtiff.
      await expect(readImage(path, { frame: 0 })).resolves.toMatchObject({ width: 37 });
    }
    const tooMany = stack.slice();
    new DataView(tooMany.buffer).setUint16(new DataView(tooMany.buffer).getUint32(4, true), 0xffff, true);
    await expectBoth(save('entry-count.tif', tooMany), 'CORRUPT', /image directory 0 lies outside the file/);
  });

  it('a bad byte order or version is CORRUPT', async () => {
    const bytes = fixture('tiff-u8-none.tif').slice();
    bytes[2] = 44;
    await expectBoth(save('version.tif', bytes), 'CORRUPT', /not a valid TIFF|version 44/);
  });

  it('rows per strip of zero is CORRUPT', async () => {
    await expectBoth(save('rps0.tif', patchTag(fixture('tiff-u8-none.tif'), 278, 0)), 'CORRUPT', /rows per strip 0/);
  });
});

describe('caller mistakes', () => {
  it('a frame past the stack is INVALID_ARGUMENT', async () => {
    const error = await failure(readImage(fixturePath('tiff-stack3-u16-lzw.tif'), { frame: 3 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/frame 3 does not exist \(the file has 3\)/);
    expect((await failure(readImage(fixturePath('png-gray8.png'), { frame: 1 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(readImage(fixturePath('png-gray8.png'), { frame: -1 }))).code).toBe('INVALID_ARGUMENT');
  });

  it('a region outside the image is INVALID_ARGUMENT', async () => {
    for (const file of ['tiff-u16-tiled-lzw.tif', 'png-gray8.png']) {
      for (const bad of [{ x: 30, y: 0, width: 8, height: 1 }, { x: 0, y: 0, width: 0, height: 1 }, { x: -1, y: 0, width: 2, height: 2 }, { x: 0.5, y: 0, width: 2, height: 2 }]) {
        expect((await failure(readImageRegion(fixturePath(file), bad))).code).toBe('INVALID_ARGUMENT');
      }
    }
  });
});

describe('damaged PNG', () => {
  it('a bad CRC is CORRUPT', async () => {
    const bytes = fixture('png-gray8.png').slice();
    bytes[bytes.length - 20] ^= 0xff; // inside the IDAT data
    await expectDecode(save('crc.png', bytes), 'CORRUPT', /IDAT has a bad CRC/);
  });

  it('a truncated IDAT, or a missing IEND, is CORRUPT', async () => {
    const bytes = fixture('png-rgb16.png');
    await expectDecode(save('cut.png', bytes.subarray(0, bytes.length - 100)), 'CORRUPT', /IDAT .* runs past the end of the file \(truncated\)/);
    await expectDecode(save('no-iend.png', bytes.subarray(0, bytes.length - 12)), 'CORRUPT', /no IEND/);
  });

  it('image data that ends early is CORRUPT even with valid CRCs', async () => {
    const rows = Buffer.alloc(20 * 11); // 20 rows of 10 pixels, the header says 20 x 20
    await expectDecode(save('short-idat.png', png(10, 20, deflateSync(rows.subarray(0, 11 * 10)))), 'CORRUPT', /truncated \(110 of 220 bytes\)/);
    await expectDecode(save('garbage-idat.png', png(10, 20, new Uint8Array(64).fill(0x33))), 'CORRUPT', /damaged/);
  });

  it('a deflate bomb is CORRUPT, interlaced or not', async () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    await expectDecode(save('bomb.png', png(64, 64, bomb)), 'CORRUPT', /inflates beyond/);
    await expectDecode(save('bomb-interlaced.png', png(64, 64, bomb, 0, 8, 1)), 'CORRUPT', /inflates beyond/);
  });

  it('a small file claiming 100000 x 100000 is CORRUPT, a plausible huge one TOO_LARGE', async () => {
    await expectDecode(save('claims-huge.png', png(100000, 100000, deflateSync(Buffer.alloc(1000)))), 'CORRUPT', /cannot hold/);
    const path = save('plausible-huge.png', png(20000, 20000, new Uint8Array(400_000)));
    await expectDecode(path, 'TOO_LARGE', /exceeds the limit/);
    await expect(readImageMetadata(path)).resolves.toMatchObject({ width: 20000, height: 20000 });
  });

  it('an invalid header is CORRUPT', async () => {
    await expectBoth(save('rgb4.png', png(4, 4, deflateSync(Buffer.alloc(40)), 2, 4)), 'CORRUPT', /color type 2 with bit depth 4/);
    const bytes = fixture('png-gray8.png').slice();
    bytes[12] = 0x58; // IHDR -> XHDR
    await expectBoth(save('no-ihdr.png', bytes), 'CORRUPT', /IHDR/);
  });
});

describe('damaged or unsupported JPEG', () => {
  it('a truncated JPEG is CORRUPT', async () => {
    const bytes = fixture('jpeg-rgb.jpg');
    await expectDecode(save('cut-scan.jpg', bytes.subarray(0, bytes.length - 60)), 'CORRUPT', /truncated \(no end-of-image marker\)/);
    await expectBoth(save('cut-tables.jpg', bytes.subarray(0, bytes.length - 300)), 'CORRUPT', /JPEG is truncated/);
    await expectBoth(save('header.jpg', bytes.subarray(0, 40)), 'CORRUPT', /truncated|ends before/);
  });

  it('12-bit, lossless and arithmetic JPEG are UNSUPPORTED', async () => {
    const bytes = fixture('jpeg-gray.jpg');
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
    const twelve = bytes.slice();
    twelve[sof + 4] = 12;
    await expectBoth(save('12bit.jpg', twelve), 'UNSUPPORTED', /12-bit JPEG/);
    const lossless = bytes.slice();
    lossless[sof + 1] = 0xc3;
    await expectBoth(save('lossless.jpg', lossless), 'UNSUPPORTED', /SOF3/);
    const arithmetic = bytes.slice();
    arithmetic[sof + 1] = 0xc9;
    await expectBoth(save('arith.jpg', arithmetic), 'UNSUPPORTED', /SOF9/);
  });
});
