import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { createRng } from '../../src-shared/imaging/rng';

/** A synthetic fluorescence-like 16-bit image of round, partly touching cells and its instance labels. */
export interface BlobImage {
  width: number;
  height: number;
  image: Uint16Array;
  labels: Uint16Array;
  count: number;
}

export function blobImage(width: number, height: number, count: number, seed: number): BlobImage {
  const rng = createRng(seed);
  const image = new Uint16Array(width * height);
  const labels = new Uint16Array(width * height);
  const scale = Math.min(width, height) / 256;
  for (let i = 0; i < image.length; i++) image[i] = 900 + Math.round(rng.next() * 200);
  for (let k = 1; k <= count; k++) {
    const r = (8 + rng.next() * 10) * Math.max(1, scale / 2);
    const cx = r + rng.next() * (width - 2 * r);
    const cy = r + rng.next() * (height - 2 * r);
    const brightness = 2500 + rng.next() * 2500;
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / r;
        if (d > 1) continue;
        const i = y * width + x;
        labels[i] = k;
        image[i] = Math.min(65535, 1000 + Math.round(brightness * (1 - d * d * 0.6)));
      }
    }
  }
  return { width, height, image, labels, count };
}

/** Writes single-channel 16-bit data as a grey PNG. */
export function writePng16(file: string, width: number, height: number, data: Uint16Array): void {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false }));
}

/**
 * A mosaic of one blob tile repeated `across` x `down` times, as stitched microscope tiles are: each
 * copy is offset by 16 grey levels per tile index, so that a pixel's value also tells its tile.
 */
export function blobMosaic(tileSize: number, across: number, down: number, cells: number, seed: number): { width: number; height: number; image: Uint16Array; tile: BlobImage } {
  const tile = blobImage(tileSize, tileSize, cells, seed);
  const width = tileSize * across;
  const height = tileSize * down;
  const image = new Uint16Array(width * height);
  for (let ty = 0; ty < down; ty++) {
    for (let tx = 0; tx < across; tx++) {
      const offset = 16 * (ty * across + tx);
      for (let y = 0; y < tileSize; y++) {
        const row = (ty * tileSize + y) * width + tx * tileSize;
        for (let x = 0; x < tileSize; x++) image[row + x] = tile.image[y * tileSize + x] + offset;
      }
    }
  }
  return { width, height, image, tile };
}
