/**
 * Regenerates the small image fixtures under test/fixtures/images/ and their manifest.json.
 *
 *   npx tsx scripts/make-image-fixtures.ts
 *
 * The files are written by tools independent of src-main/io, so the tests check the reader against other
 * implementations rather than against itself: tifffile (numpy) for the uncompressed TIFF bases and odd
 * sample types, libtiff's tiffcp for LZW / Deflate / PackBits, predictors, tiles, byte order and BigTIFF,
 * Pillow for JPEG and some PNGs, and a few lines of Python (zlib) for PNG colour types Pillow cannot write.
 * Needs: python3 with numpy, tifffile and Pillow; tiffcp (Debian: apt-get install python3-tifffile
 * python3-pil libtiff-tools). Every pixel follows a formula that test/src-main/io/fixture-pattern.ts
 * recomputes, so the tests know the exact expected values.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const OUT = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'images');
const W = 37;
const H = 23;

interface Expect {
  /** Pattern that fixture-pattern.ts evaluates per (x, y, c, frame). */
  pattern: string;
  width: number;
  height: number;
  channels: number;
  frames: number;
  dtype: string;
  bitDepth: number;
  format: 'tiff' | 'png' | 'jpeg';
  compression: string;
  tiled: boolean;
  bigTiff: boolean;
  colorSpace: 'gray' | 'rgb';
  alpha: boolean;
  pixelSize?: { x: number; y: number; unit: string };
  /** Largest allowed |decoded - pattern| (lossy JPEG); 0 means exact. */
  tolerance: number;
  /** Error code reading must fail with (files that are valid but not supported). */
  expectError?: string;
}

interface Fixture extends Expect {
  file: string;
}

/** What the Python side writes: one base file per spec (for "palette:u8" it writes the u8 indices). */
interface BaseSpec {
  file: string;
  writer: 'tifffile' | 'raw-tiff' | 'png' | 'pil-png' | 'pil-jpeg';
  pattern: string;
  numpyType: string;
  channels: number;
  frames: number;
  options: Record<string, unknown>;
}

const PYTHON = String.raw`
import json, struct, sys, zlib
import numpy as np
import tifffile
from PIL import Image

def pattern(kind, frames, h, w, c):
    f, y, x, ch = np.meshgrid(np.arange(frames), np.arange(h), np.arange(w), np.arange(c), indexing='ij')
    f, y, x, ch = (a.astype(np.int64) for a in (f, y, x, ch))
    if kind == 'u8': return (x * 7 + y * 13 + ch * 50 + f * 29) % 256
    if kind == 'u16': return (x * 1031 + y * 2053 + ch * 12007 + f * 307) % 65536
    if kind == 'u32': return (x * 1000003 + y * 70000007 + ch * 300000007 + f * 13) % 4294967296
    if kind == 'i8': return (x * 7 + y * 13 + ch * 50 + f * 29) % 256 - 128
    if kind == 'i16': return (x * 1031 + y * 2053 + ch * 12007 + f * 307) % 65536 - 32768
    if kind == 'i32': return (x * 1000003 + y * 70000007 + ch * 300000007 + f * 13) % 4294967296 - 2147483648
    if kind == 'float': return (x - 2 * y + ch * 0.25 + f) * 0.5
    if kind == 'bits1': return (x + y + f) % 2
    if kind == 'bits2': return (x + 2 * y) % 4
    if kind == 'bits4': return (x + 3 * y) % 16
    if kind == 'bits12': return (x * 37 + y * 101 + ch * 500) % 4096
    if kind == 'bits24': return (x * 100003 + y * 7001 + ch * 999) % 16777216
    if kind == 'smooth': return x * 2 + y * 3 + ch * 40
    if kind == 'index4': return (x + 3 * y) % 16
    raise ValueError(kind)

def color_palette(n):
    i = np.arange(n)
    return np.stack([(i * 3) % 256, 255 - i, (i * 7) % 256], axis=1).astype(np.uint8)

def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

def pack_row(values, bits):
    if bits == 8: return values.astype(np.uint8).tobytes()
    if bits == 16: return values.astype('>u2').tobytes()
    out, acc, n = bytearray(), 0, 0
    for v in values:
        acc = (acc << bits) | int(v); n += bits
        while n >= 8:
            n -= 8; out.append((acc >> n) & 0xff)
    if n: out.append((acc << (8 - n)) & 0xff)
    return bytes(out)

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

def write_png(path, img, color_type, bits, interlace=False, palette=None, trns=None, phys=None):
    h, w, c = img.shape
    def rows(sub):
        return b''.join(b'\x00' + pack_row(sub[r].reshape(-1), bits) for r in range(sub.shape[0]))
    if interlace:
        raw = b''.join(rows(img[y0::dy, x0::dx]) for x0, y0, dx, dy in ADAM7 if w > x0 and h > y0)
    else:
        raw = rows(img)
    out = b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, bits, color_type, 0, 0, 1 if interlace else 0))
    if phys: out += png_chunk(b'pHYs', struct.pack('>IIB', phys, phys, 1))
    if palette is not None: out += png_chunk(b'PLTE', palette.tobytes())
    if trns is not None: out += png_chunk(b'tRNS', trns)
    out += png_chunk(b'IDAT', zlib.compress(raw, 9)) + png_chunk(b'IEND', b'')
    open(path, 'wb').write(out)

def float_predictor_rows(img):
    # TIFF Technical Note 3: each row's float bytes regrouped into planes (most significant first),
    # then differenced byte-wise with a stride of the samples per pixel. Independent of byte order.
    h, w, c = img.shape
    out = b''
    for r in range(h):
        planes = np.frombuffer(img[r].astype('>f4').tobytes(), np.uint8).reshape(-1, 4).T.reshape(-1).astype(np.int64)
        diff = planes.copy()
        diff[c:] = (planes[c:] - planes[:-c]) % 256
        out += diff.astype(np.uint8).tobytes()
    return out

def write_raw_tiff(path, img, bits, big_endian, float_predictor=False):
    # Minimal one-strip TIFF for what tifffile only writes with imagecodecs: 1, 2, 4, 12, 24 bits, float predictor.
    h, w, c = img.shape
    e = '>' if big_endian else '<'
    if float_predictor:
        data = zlib.compress(float_predictor_rows(img))
    elif bits == 24:
        b = img.reshape(-1).astype(np.uint32)
        trip = np.stack([(b >> 16) & 255, (b >> 8) & 255, b & 255], axis=1) if big_endian else np.stack([b & 255, (b >> 8) & 255, (b >> 16) & 255], axis=1)
        data = trip.astype(np.uint8).tobytes()
    else:
        data = b''.join(pack_row(img[r].reshape(-1), bits) for r in range(h))
    tags = [(256, 4, [w]), (257, 4, [h]), (258, 3, [bits] * c), (259, 3, [8 if float_predictor else 1]), (262, 3, [1]),
            (273, 4, [0]), (277, 3, [c]), (278, 4, [h]), (279, 4, [len(data)]), (284, 3, [1])]
    if float_predictor: tags += [(317, 3, [3]), (339, 3, [3] * c)]
    ifd_size = 2 + 12 * len(tags) + 4
    extra = bytearray(); offset = 8 + ifd_size
    entries = b''
    for tag, typ, vals in tags:
        fmt = 'H' if typ == 3 else 'I'
        payload = struct.pack(e + fmt * len(vals), *vals)
        if len(payload) <= 4:
            entries += struct.pack(e + 'HHI', tag, typ, len(vals)) + payload.ljust(4, b'\0')
        else:
            entries += struct.pack(e + 'HHII', tag, typ, len(vals), offset + len(extra)); extra += payload
    data_offset = offset + len(extra)
    entries = entries.replace(struct.pack(e + 'HHI', 273, 4, 1) + struct.pack(e + 'I', 0), struct.pack(e + 'HHI', 273, 4, 1) + struct.pack(e + 'I', data_offset))
    header = (b'MM' if big_endian else b'II') + struct.pack(e + 'HI', 42, 8)
    open(path, 'wb').write(header + struct.pack(e + 'H', len(tags)) + entries + struct.pack(e + 'I', 0) + bytes(extra) + data)

specs = json.load(sys.stdin)
out_dir = sys.argv[1]
for s in specs:
    o = s['options']; path = out_dir + '/' + s['file']
    img = pattern(s['pattern'].split(':')[-1], s['frames'], o.get('height', ${H}), o.get('width', ${W}), s['channels']).astype(s['numpyType'])
    if s['writer'] == 'tifffile':
        data = img[0] if s['frames'] == 1 else img
        if s['channels'] == 1: data = data[..., 0]
        kw = dict(o.get('tifffile', {}))
        if 'colormap' in kw: kw['colormap'] = np.tile(np.arange(256, dtype=np.uint16) * 257, (3, 1))
        if kw.get('planarconfig') == 'separate': data = np.moveaxis(data, -1, -3)
        tifffile.imwrite(path, data, **kw)
    elif s['writer'] == 'raw-tiff':
        write_raw_tiff(path, img[0], o['bits'], o.get('bigEndian', False), o.get('floatPredictor', False))
    elif s['writer'] == 'png':
        pal = color_palette(o['paletteSize']) if o.get('paletteSize') else None
        if o.get('grayPalette'): pal = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
        trns = None
        if o.get('trnsPalette'): trns = bytes((i * 5) % 256 for i in range(len(pal)))
        if o.get('trnsGray') is not None: trns = struct.pack('>H', o['trnsGray'])
        write_png(path, img[0], o['colorType'], o['bits'], o.get('interlace', False), pal, trns, o.get('phys'))
    elif s['writer'] == 'pil-png':
        im = Image.fromarray(img[0][..., 0] if s['channels'] == 1 else img[0], o['mode'])
        if o['mode'] == 'P': im.putpalette(color_palette(256).reshape(-1).tolist())
        im.save(path, optimize=False)
    elif s['writer'] == 'pil-jpeg':
        im = Image.fromarray(img[0][..., 0] if s['channels'] == 1 else img[0])
        im.save(path, quality=95, subsampling=0, progressive=o.get('progressive', False))
`;

function findPython(): string {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import numpy, tifffile, PIL'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('python3 with numpy, tifffile and Pillow is needed (apt-get install python3-tifffile python3-pil)');
}

const fixtures: Fixture[] = [];
const bases: BaseSpec[] = [];
/** tiffcp variants: [output, base, tiffcp arguments, expectation overrides]. */
const variants: [string, string, string[], Partial<Expect>][] = [];

function tiffExpect(pattern: string, dtype: string, bitDepth: number, over: Partial<Expect> = {}): Expect {
  return {
    pattern, width: W, height: H, channels: 1, frames: 1, dtype, bitDepth, format: 'tiff', compression: 'none',
    tiled: false, bigTiff: false, colorSpace: 'gray', alpha: false, tolerance: 0, ...over,
  };
}

function base(file: string, writer: BaseSpec['writer'], numpyType: string, expect: Expect, options: Record<string, unknown> = {}): void {
  const channels = (options.storedChannels as number | undefined) ?? expect.channels;
  bases.push({ file, writer, pattern: expect.pattern, numpyType, channels, frames: expect.frames, options });
  fixtures.push({ file, ...expect });
}

function variant(file: string, from: string, args: string[], over: Partial<Expect>): void {
  variants.push([file, from, args, over]);
}

const STRIPS = ['-r', '5'];
const TILES = ['-t', '-w', '16', '-l', '16'];

// Integer and float sample types, each uncompressed and through libtiff's codecs.
const types: [string, string, string, number][] = [
  ['u8', 'uint8', 'uint8', 8], ['u16', 'uint16', 'uint16', 16], ['u32', 'uint32', 'uint32', 32],
  ['i8', 'int8', 'int8', 8], ['i16', 'int16', 'int16', 16], ['i32', 'int32', 'int32', 32],
  ['float', 'float32', 'float32', 32],
];
for (const [pattern, numpyType, dtype, bits] of types) {
  const name = pattern === 'float' ? 'f32' : pattern;
  base(`tiff-${name}-none.tif`, 'tifffile', numpyType, tiffExpect(pattern, dtype, bits), { tifffile: { rowsperstrip: 5 } });
}
variant('tiff-u8-lzw.tif', 'tiff-u8-none.tif', ['-c', 'lzw', ...STRIPS], { compression: 'lzw' });
variant('tiff-u8-lzw-pred.tif', 'tiff-u8-none.tif', ['-c', 'lzw:2', ...STRIPS], { compression: 'lzw' });
variant('tiff-u8-lzw-fill2.tif', 'tiff-u8-none.tif', ['-f', 'lsb2msb', '-c', 'lzw', ...STRIPS], { compression: 'lzw' });
variant('tiff-u8-deflate.tif', 'tiff-u8-none.tif', ['-c', 'zip', ...STRIPS], { compression: 'deflate' });
variant('tiff-u8-packbits.tif', 'tiff-u8-none.tif', ['-c', 'packbits', ...STRIPS], { compression: 'packbits' });
variant('tiff-u8-tiled-packbits.tif', 'tiff-u8-none.tif', ['-c', 'packbits', ...TILES], { compression: 'packbits', tiled: true });
variant('tiff-u16-lzw.tif', 'tiff-u16-none.tif', ['-c', 'lzw', ...STRIPS], { compression: 'lzw' });
variant('tiff-u16-lzw-pred.tif', 'tiff-u16-none.tif', ['-c', 'lzw:2', ...STRIPS], { compression: 'lzw' });
variant('tiff-u16-deflate.tif', 'tiff-u16-none.tif', ['-c', 'zip', ...STRIPS], { compression: 'deflate' });
variant('tiff-u16-deflate-pred.tif', 'tiff-u16-none.tif', ['-c', 'zip:2', ...STRIPS], { compression: 'deflate' });
variant('tiff-u16-packbits.tif', 'tiff-u16-none.tif', ['-c', 'packbits', ...STRIPS], { compression: 'packbits' });
variant('tiff-u16-tiled-lzw.tif', 'tiff-u16-none.tif', ['-c', 'lzw', ...TILES], { compression: 'lzw', tiled: true });
variant('tiff-u16-tiled-deflate-pred.tif', 'tiff-u16-none.tif', ['-c', 'zip:2', ...TILES], { compression: 'deflate', tiled: true });
variant('tiff-u16-be-lzw-pred.tif', 'tiff-u16-none.tif', ['-B', '-c', 'lzw:2', ...STRIPS], { compression: 'lzw' });
variant('tiff-u16-be-none.tif', 'tiff-u16-none.tif', ['-B', '-c', 'none', ...STRIPS], {});
variant('tiff-u16-bigtiff-deflate.tif', 'tiff-u16-none.tif', ['-8', '-c', 'zip', ...STRIPS], { compression: 'deflate', bigTiff: true });
variant('tiff-u16-bigtiff-be-tiled-lzw.tif', 'tiff-u16-none.tif', ['-8', '-B', '-c', 'lzw', ...TILES],
  { compression: 'lzw', bigTiff: true, tiled: true });
variant('tiff-u32-deflate.tif', 'tiff-u32-none.tif', ['-c', 'zip', ...STRIPS], { compression: 'deflate' });
variant('tiff-i8-packbits.tif', 'tiff-i8-none.tif', ['-c', 'packbits', ...STRIPS], { compression: 'packbits' });
variant('tiff-i16-lzw-pred.tif', 'tiff-i16-none.tif', ['-c', 'lzw:2', ...STRIPS], { compression: 'lzw' });
variant('tiff-i32-be-deflate.tif', 'tiff-i32-none.tif', ['-B', '-c', 'zip', ...STRIPS], { compression: 'deflate' });
variant('tiff-f32-lzw.tif', 'tiff-f32-none.tif', ['-c', 'lzw', ...STRIPS], { compression: 'lzw' });
variant('tiff-f32-deflate-fpred.tif', 'tiff-f32-none.tif', ['-c', 'zip:3', ...STRIPS], { compression: 'deflate' });
// libtiff 4.5 writes big-endian float-predictor data with the planes swapped (its own reader then disagrees with
// the source), so this one follows TIFF Technical Note 3 directly; libtiff reads it back correctly.
base('tiff-f32-be-deflate-fpred.tif', 'raw-tiff', 'float32', tiffExpect('float', 'float32', 32, { compression: 'deflate' }),
  { bits: 32, bigEndian: true, floatPredictor: true });
base('tiff-f32-deflate-fpred-rgb.tif', 'raw-tiff', 'float32', tiffExpect('float', 'float32', 32, { compression: 'deflate', channels: 3 }),
  { bits: 32, floatPredictor: true });
variant('tiff-f32-tiled-lzw-fpred.tif', 'tiff-f32-none.tif', ['-c', 'lzw:3', ...TILES], { compression: 'lzw', tiled: true });

base('tiff-f64-none.tif', 'tifffile', 'float64', tiffExpect('float', 'float32', 64), { tifffile: { rowsperstrip: 5 } });
variant('tiff-f64-deflate-fpred.tif', 'tiff-f64-none.tif', ['-c', 'zip:3', ...STRIPS], { compression: 'deflate' });
base('tiff-f16-none.tif', 'tifffile', 'float16', tiffExpect('float', 'float32', 16), { tifffile: { rowsperstrip: 5 } });

// Several samples per pixel: RGB, RGBA, planar, two independent channels.
const rgb = (over: Partial<Expect>) => ({ channels: 3, colorSpace: 'rgb' as const, ...over });
base('tiff-rgb8-none.tif', 'tifffile', 'uint8', tiffExpect('u8', 'uint8', 8, rgb({})), { tifffile: { photometric: 'rgb', rowsperstrip: 5 } });
variant('tiff-rgb8-lzw-pred.tif', 'tiff-rgb8-none.tif', ['-c', 'lzw:2', ...STRIPS], rgb({ compression: 'lzw' }));
variant('tiff-rgb8-planar-deflate.tif', 'tiff-rgb8-none.tif', ['-p', 'separate', '-c', 'zip', ...STRIPS], rgb({ compression: 'deflate' }));
variant('tiff-rgb8-jpeg.tif', 'tiff-rgb8-none.tif', ['-c', 'jpeg', '-r', '16'], rgb({ compression: 'jpeg', expectError: 'UNSUPPORTED' }));
base('tiff-rgb16-none.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, rgb({})), { tifffile: { photometric: 'rgb', rowsperstrip: 5 } });
// tiffcp 4.5 garbles 16-bit separate-plane tiles, so tifffile writes this one itself.
base('tiff-rgb16-planar-tiled-deflate-pred.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, rgb({ compression: 'deflate', tiled: true })),
  { tifffile: { photometric: 'rgb', planarconfig: 'separate', tile: [16, 16], compression: 'zlib', predictor: 2 } });
base('tiff-rgb16-planar-none.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, rgb({})),
  { tifffile: { photometric: 'rgb', planarconfig: 'separate', rowsperstrip: 5 } });
variant('tiff-rgb16-planar-lzw-pred.tif', 'tiff-rgb16-planar-none.tif', ['-c', 'lzw:2', ...STRIPS], rgb({ compression: 'lzw' }));
base('tiff-rgba8-none.tif', 'tifffile', 'uint8', tiffExpect('u8', 'uint8', 8, rgb({ channels: 4, alpha: true })),
  { tifffile: { photometric: 'rgb', extrasamples: ['unassalpha'], rowsperstrip: 5 } });
variant('tiff-rgba8-packbits.tif', 'tiff-rgba8-none.tif', ['-c', 'packbits', ...STRIPS], rgb({ channels: 4, alpha: true, compression: 'packbits' }));
base('tiff-2ch-u16-none.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, { channels: 2 }),
  { tifffile: { photometric: 'minisblack', planarconfig: 'contig', rowsperstrip: 5 } });
variant('tiff-2ch-u16-deflate.tif', 'tiff-2ch-u16-none.tif', ['-c', 'zip', ...STRIPS], { channels: 2, compression: 'deflate' });

// Stacks, palette, calibration.
base('tiff-stack3-u16-none.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, { frames: 3 }),
  { tifffile: { photometric: 'minisblack', rowsperstrip: 5 } });
variant('tiff-stack3-u16-lzw.tif', 'tiff-stack3-u16-none.tif', ['-c', 'lzw', ...STRIPS], { frames: 3, compression: 'lzw' });
base('tiff-palette-u8.tif', 'tifffile', 'uint8', tiffExpect('u8', 'uint8', 8), { tifffile: { photometric: 'palette', colormap: true } });
base('tiff-u16-imagej-um.tif', 'tifffile', 'uint16', tiffExpect('u16', 'uint16', 16, { pixelSize: { x: 0.25, y: 0.25, unit: 'µm' } }),
  { tifffile: { imagej: true, resolution: [4, 4], metadata: { unit: 'um' } } });
base('tiff-u8-cm.tif', 'tifffile', 'uint8', tiffExpect('u8', 'uint8', 8, { pixelSize: { x: 0.5, y: 0.5, unit: 'µm' } }),
  { tifffile: { resolution: [20000, 20000], resolutionunit: 'CENTIMETER' } });

// Bit depths that are not whole bytes, and 24-bit.
base('tiff-bits1.tif', 'raw-tiff', 'uint8', tiffExpect('bits1', 'uint8', 1), { bits: 1 });
base('tiff-bits4.tif', 'raw-tiff', 'uint8', tiffExpect('bits4', 'uint8', 4), { bits: 4 });
base('tiff-bits12.tif', 'raw-tiff', 'uint16', tiffExpect('bits12', 'uint16', 12), { bits: 12 });
base('tiff-bits12-be.tif', 'raw-tiff', 'uint16', tiffExpect('bits12', 'uint16', 12), { bits: 12, bigEndian: true });
base('tiff-bits24.tif', 'raw-tiff', 'uint32', tiffExpect('bits24', 'uint32', 24), { bits: 24 });
base('tiff-bits24-be.tif', 'raw-tiff', 'uint32', tiffExpect('bits24', 'uint32', 24), { bits: 24, bigEndian: true });
variant('tiff-bits12-lzw.tif', 'tiff-bits12.tif', ['-c', 'lzw', ...STRIPS], { compression: 'lzw' });

// PNG: every colour type and bit depth, interlaced, palettes with and without transparency.
function png(file: string, pattern: string, numpyType: string, over: Partial<Expect>, options: Record<string, unknown>, writer: BaseSpec['writer'] = 'png'): void {
  base(file, writer, numpyType, {
    pattern, width: W, height: H, channels: 1, frames: 1, dtype: 'uint8', bitDepth: 8, format: 'png', compression: 'deflate',
    tiled: false, bigTiff: false, colorSpace: 'gray', alpha: false, tolerance: 0, ...over,
  }, options);
}
png('png-gray8.png', 'u8', 'uint8', {}, { colorType: 0, bits: 8 });
png('png-gray16.png', 'u16', 'uint16', { dtype: 'uint16', bitDepth: 16 }, { colorType: 0, bits: 16 });
png('png-gray1.png', 'bits1', 'uint8', { bitDepth: 1 }, { colorType: 0, bits: 1 });
png('png-gray2.png', 'bits2', 'uint8', { bitDepth: 2 }, { colorType: 0, bits: 2 });
png('png-gray4.png', 'bits4', 'uint8', { bitDepth: 4 }, { colorType: 0, bits: 4 });
png('png-gray8-interlaced.png', 'u8', 'uint8', {}, { colorType: 0, bits: 8, interlace: true });
png('png-gray16-interlaced.png', 'u16', 'uint16', { dtype: 'uint16', bitDepth: 16 }, { colorType: 0, bits: 16, interlace: true });
png('png-gray8-trns.png', 'u8', 'uint8', {}, { colorType: 0, bits: 8, trnsGray: 7 });
png('png-gray16-phys.png', 'u16', 'uint16', { dtype: 'uint16', bitDepth: 16, pixelSize: { x: 0.25, y: 0.25, unit: 'µm' } },
  { colorType: 0, bits: 16, phys: 4_000_000 });
png('png-ga8.png', 'u8', 'uint8', { channels: 2, alpha: true }, { colorType: 4, bits: 8 });
png('png-ga16.png', 'u16', 'uint16', { channels: 2, alpha: true, dtype: 'uint16', bitDepth: 16 }, { colorType: 4, bits: 16 });
png('png-rgb8.png', 'u8', 'uint8', { channels: 3, colorSpace: 'rgb' }, { colorType: 2, bits: 8 });
png('png-rgb16.png', 'u16', 'uint16', { channels: 3, colorSpace: 'rgb', dtype: 'uint16', bitDepth: 16 }, { colorType: 2, bits: 16 });
png('png-rgb8-interlaced.png', 'u8', 'uint8', { channels: 3, colorSpace: 'rgb' }, { colorType: 2, bits: 8, interlace: true });
png('png-rgba8.png', 'u8', 'uint8', { channels: 4, colorSpace: 'rgb', alpha: true }, { colorType: 6, bits: 8 });
png('png-rgba16.png', 'u16', 'uint16', { channels: 4, colorSpace: 'rgb', alpha: true, dtype: 'uint16', bitDepth: 16 }, { colorType: 6, bits: 16 });
png('png-palette8.png', 'palette:u8', 'uint8', { channels: 3, colorSpace: 'rgb' }, { colorType: 3, bits: 8, paletteSize: 256, storedChannels: 1 });
png('png-palette4.png', 'palette:index4', 'uint8', { channels: 3, colorSpace: 'rgb' }, { colorType: 3, bits: 4, paletteSize: 16, storedChannels: 1 });
png('png-palette8-trns.png', 'palette-alpha:u8', 'uint8', { channels: 4, colorSpace: 'rgb', alpha: true },
  { colorType: 3, bits: 8, paletteSize: 256, trnsPalette: true, storedChannels: 1 });
png('png-palette-gray.png', 'u8', 'uint8', {}, { colorType: 3, bits: 8, grayPalette: true });
png('png-pil-gray8.png', 'u8', 'uint8', {}, { mode: 'L' }, 'pil-png');
png('png-pil-rgba8.png', 'u8', 'uint8', { channels: 4, colorSpace: 'rgb', alpha: true }, { mode: 'RGBA' }, 'pil-png');

// JPEG is lossy: a smooth pattern and a tolerance.
const jpeg = (file: string, channels: number, options: Record<string, unknown>) => base(file, 'pil-jpeg', 'uint8', {
  pattern: 'smooth', width: W, height: H, channels, frames: 1, dtype: 'uint8', bitDepth: 8, format: 'jpeg', compression: 'jpeg',
  tiled: false, bigTiff: false, colorSpace: channels === 3 ? 'rgb' : 'gray', alpha: false, tolerance: 12,
}, options);
jpeg('jpeg-gray.jpg', 1, {});
jpeg('jpeg-rgb.jpg', 3, {});
jpeg('jpeg-rgb-progressive.jpg', 3, { progressive: true });

function main(): void {
  const python = findPython();
  if (spawnSync('tiffcp', [], { stdio: 'ignore' }).error) throw new Error('tiffcp is needed (apt-get install libtiff-tools)');
  const work = mkdtempSync(join(tmpdir(), 'unet-fixtures-'));
  try {
    const run = spawnSync(python, ['-c', PYTHON, work], { input: JSON.stringify(bases), stdio: ['pipe', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`the Python fixture writer failed (exit ${run.status})`);
    for (const [file, from, args, over] of variants) {
      execFileSync('tiffcp', [...args, join(work, from), join(work, file)], { stdio: 'inherit' });
      const source = fixtures.find((f) => f.file === from) as Fixture;
      fixtures.push({ ...source, file, ...over });
    }
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const fixture of fixtures) copyFileSync(join(work, fixture.file), join(OUT, fixture.file));
    fixtures.sort((a, b) => a.file.localeCompare(b.file));
    writeFileSync(join(OUT, 'manifest.json'), `[\n${fixtures.map((f) => JSON.stringify(f)).join(',\n')}\n]\n`);
    const total = readdirSync(OUT).reduce((sum, f) => sum + statSync(join(OUT, f)).size, 0);
    console.log(`${fixtures.length} fixtures, ${(total / 1024).toFixed(1)} KiB in ${OUT}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
