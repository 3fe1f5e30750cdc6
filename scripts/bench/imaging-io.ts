/**
 * Benchmarks of image I/O (src-main/io). Run: npx tsx scripts/bench/imaging-io.ts [--quick]
 * Prints a table and writes .bench/imaging-io.json.
 *
 * - metadata of a folder of 1,000 TIFFs (generated in a temp folder): listImageFiles + readImageMetadata each;
 * - decoding throughput of LZW 16-bit TIFF: the Fluo-N2DL-HeLa frames of ../shared/data when present,
 *   otherwise generated 1100 x 700 16-bit images LZW-compressed by the small encoder below;
 * - for scale: Deflate 16-bit decode, a 256 x 256 window of a 4096 x 4096 TIFF, 16-bit and RGBA PNG decode,
 *   and writing a 16-bit label TIFF.
 * Throughput is decoded bytes per second of wall time; CPU time is reported too because on a shared machine
 * the wall time includes waiting for a core.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fromFile } from 'geotiff';
import { join, resolve } from 'node:path';
import { listImageFiles } from '../../src-main/io/list-image-files';
import { readImage, readImageMetadata, readImageRegion } from '../../src-main/io/read-image';
import { writeLabelImage } from '../../src-main/io/write-image';

const quick = process.argv.includes('--quick');
const ROOT = resolve(import.meta.dirname, '..', '..');
const DATA = resolve(ROOT, '..', 'shared', 'data');

interface Result {
  name: string;
  unit: string;
  /** Work items per run (files, bytes). */
  perRun: number;
  medianMs: number;
  minMs: number;
  cpuMedianMs: number;
  runs: number;
  /** Items per second at the median wall time (bytes/s for throughput rows). */
  rate: number;
  note?: string;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function bench(name: string, unit: string, perRun: number, fn: () => Promise<void>, runs: number, note?: string): Promise<Result> {
  await fn(); // warm-up (JIT, page cache)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const medianMs = median(wall);
  return { name, unit, perRun, medianMs, minMs: Math.min(...wall), cpuMedianMs: median(cpu), runs, rate: perRun / (medianMs / 1000), note };
}

/** A 16-bit image with smooth structure and noise, like a fluorescence frame (values around 33000-37000). */
function fluorescenceLike(width: number, height: number, seed: number): Uint16Array {
  const data = new Uint16Array(width * height);
  let s = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const blob = Math.max(0, 1 - Math.hypot((x % 90) - 45, (y % 80) - 40) / 30);
      data[y * width + x] = 33000 + Math.round(blob * 3500) + ((s >> 16) & 0xff);
    }
  }
  return data;
}

/** TIFF LZW encoder (MSB-first codes, early change), only to make benchmark input when the real files are absent. */
function encodeLzw(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length * 2 + 16);
  let o = 0;
  let bits = 0;
  let count = 0;
  let width = 9;
  const emit = (code: number) => {
    bits = (bits << width) | code;
    count += width;
    while (count >= 8) {
      count -= 8;
      out[o++] = (bits >>> count) & 0xff;
    }
    bits &= (1 << count) - 1;
  };
  let table = new Map<number, number>();
  let next = 258;
  emit(256);
  let current = data[0];
  for (let i = 1; i < data.length; i++) {
    const key = current * 256 + data[i];
    const code = table.get(key);
    if (code !== undefined) {
      current = code;
      continue;
    }
    emit(current);
    table.set(key, next++);
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4094) {
      emit(256);
      table = new Map();
      next = 258;
      width = 9;
    }
    current = data[i];
  }
  emit(current);
  emit(257);
  if (count > 0) out[o++] = (bits << (8 - count)) & 0xff;
  return out.subarray(0, o);
}

/** A little-endian 16-bit gray TIFF with LZW strips of `rowsPerStrip` rows. */
function lzwTiff(data: Uint16Array, width: number, height: number, rowsPerStrip: number): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const strips: Uint8Array[] = [];
  for (let row = 0; row < height; row += rowsPerStrip) {
    strips.push(encodeLzw(bytes.subarray(row * width * 2, Math.min(height, row + rowsPerStrip) * width * 2)));
  }
  const tags: [number, number, number[]][] = [
    [256, 4, [width]], [257, 4, [height]], [258, 3, [16]], [259, 3, [5]], [262, 3, [1]], [273, 4, []],
    [277, 3, [1]], [278, 4, [rowsPerStrip]], [279, 4, strips.map((s) => s.length)],
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const offsetsAt = 8 + ifdSize;
  const countsAt = offsetsAt + strips.length * 4;
  let cursor = countsAt + strips.length * 4;
  const stripOffsets = strips.map((s) => {
    const at = cursor;
    cursor += s.length;
    return at;
  });
  tags[5][2] = stripOffsets;
  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  view.setUint16(8, tags.length, true);
  tags.forEach(([tag, type, values], i) => {
    const at = 10 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, values.length, true);
    if (values.length === 1) {
      if (type === 3) view.setUint16(at + 8, values[0], true);
      else view.setUint32(at + 8, values[0], true);
    } else {
      const valuesAt = tag === 273 ? offsetsAt : countsAt;
      view.setUint32(at + 8, valuesAt, true);
      values.forEach((v, k) => view.setUint32(valuesAt + 4 * k, v, true));
    }
  });
  strips.forEach((s, i) => out.set(s, stripOffsets[i]));
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(os.tmpdir(), 'bench-io-'));
  const results: Result[] = [];
  try {
    // 1. Metadata of a folder of 1,000 TIFFs.
    const folder = join(work, 'folder');
    mkdirSync(folder);
    const count = quick ? 200 : 1000;
    const small = fluorescenceLike(256, 256, 1);
    for (let i = 0; i < count; i++) {
      small[0] = i;
      await writeLabelImage(join(folder, `frame_${i}.tif`), small, 256, 256);
    }
    results.push(await bench(`metadata, folder of ${count} TIFFs`, 'files', count, async () => {
      const files = await listImageFiles(folder);
      for (const file of files) await readImageMetadata(file);
    }, quick ? 3 : 5, 'listImageFiles + readImageMetadata, one file at a time'));

    // 2. LZW 16-bit decode.
    const realFluo = existsSync(join(DATA, 'fluo-hela', 'images'));
    let lzwFiles: string[];
    if (realFluo) {
      lzwFiles = await listImageFiles(join(DATA, 'fluo-hela', 'images'));
    } else {
      lzwFiles = [];
      for (let i = 0; i < 7; i++) {
        const path = join(work, `lzw16_${i}.tif`);
        writeFileSync(path, lzwTiff(fluorescenceLike(1100, 700, i + 7), 1100, 700, 3));
        lzwFiles.push(path);
      }
    }
    let lzwBytes = 0;
    for (const file of lzwFiles) {
      const meta = await readImageMetadata(file);
      lzwBytes += meta.width * meta.height * meta.channels * 2;
    }
    results.push(await bench('decode LZW 16-bit TIFF', 'bytes', lzwBytes, async () => {
      for (const file of lzwFiles) await readImage(file);
    }, quick ? 3 : 10, realFluo ? `${lzwFiles.length} Fluo-N2DL-HeLa frames, 1100 x 700, 3 rows per strip`
      : `${lzwFiles.length} generated 1100 x 700 frames, 3 rows per strip`));

    // Reference: geotiff alone (its parser, decoders and readRasters) on the same files.
    results.push(await bench('reference: geotiff 2.1.3 fromFile + readRasters, same LZW files', 'bytes', lzwBytes, async () => {
      const warn = console.warn;
      console.warn = () => undefined; // its LZW decoder warns on strips without an EOI code
      try {
        for (const file of lzwFiles) {
          const tiff = await fromFile(file);
          await (await tiff.getImage()).readRasters({ interleave: true });
          await tiff.close();
        }
      } finally {
        console.warn = warn;
      }
    }, quick ? 2 : 5, 'for comparison only; not used by src-main/io'));

    // 3. Deflate 16-bit decode, and a small window of a large image.
    const big = 4096;
    const bigPath = join(work, 'big16.tif');
    await writeLabelImage(bigPath, fluorescenceLike(big, big, 3), big, big);
    results.push(await bench(`decode Deflate 16-bit TIFF ${big} x ${big}`, 'bytes', big * big * 2, async () => {
      await readImage(bigPath);
    }, quick ? 2 : 5, 'written by writeLabelImage (64 KiB strips)'));
    results.push(await bench(`256 x 256 window of the ${big} x ${big} TIFF`, 'bytes', 256 * 256 * 2, async () => {
      await readImageRegion(bigPath, { x: 1900, y: 2100, width: 256, height: 256 });
    }, quick ? 10 : 30, 'only the strips the window touches are read and decoded'));

    // 4. PNG.
    const pngSets: [string, string][] = [['decode 16-bit gray PNG (dsb2018 masks)', 'masks'], ['decode RGBA PNG (dsb2018 images)', 'images']];
    for (const [name, sub] of pngSets) {
      const dir = join(DATA, 'dsb2018', sub);
      if (!existsSync(dir)) continue;
      const files = await listImageFiles(dir);
      let bytes = 0;
      for (const file of files) {
        const meta = await readImageMetadata(file);
        bytes += meta.width * meta.height * meta.channels * (meta.dtype === 'uint16' ? 2 : 1);
      }
      results.push(await bench(name, 'bytes', bytes, async () => {
        for (const file of files) await readImage(file);
      }, quick ? 2 : 5, `${files.length} files`));
    }

    // 5. Writing.
    const labels = fluorescenceLike(2048, 2048, 5);
    results.push(await bench('write 16-bit label TIFF 2048 x 2048 (Deflate)', 'bytes', 2048 * 2048 * 2, async () => {
      await writeLabelImage(join(work, 'out.tif'), labels, 2048, 2048);
    }, quick ? 2 : 5));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const rows = results.map((r) => ({
    benchmark: r.name,
    'median ms': r.medianMs.toFixed(1),
    'min ms': r.minMs.toFixed(1),
    'cpu ms': r.cpuMedianMs.toFixed(1),
    rate: r.unit === 'bytes' ? `${(r.rate / 1e6).toFixed(1)} MB/s` : `${Math.round(r.rate)} files/s (${(r.medianMs / r.perRun).toFixed(2)} ms/file)`,
    'rate (cpu)': r.unit === 'bytes' ? `${(r.perRun / (r.cpuMedianMs / 1000) / 1e6).toFixed(1)} MB/s` : `${Math.round(r.perRun / (r.cpuMedianMs / 1000))} files/s`,
  }));
  console.table(rows);
  const out = resolve(ROOT, '.bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'imaging-io.json'), `${JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverage: os.loadavg(),
    quick,
    results,
  }, null, 2)}\n`);
  console.log(`wrote ${join(out, 'imaging-io.json')}`);
}

await main();
