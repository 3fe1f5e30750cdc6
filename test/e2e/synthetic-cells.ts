import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

export interface Disc {
  x: number;
  y: number;
  r: number;
}

export interface SyntheticCells {
  root: string;
  /** Each image's name and the discs drawn in it, in image pixel coordinates. */
  images: { name: string; discs: Disc[] }[];
}

/**
 * A small folder of generated microscopy-like images for end-to-end tests: bright discs ("cells") on a
 * noisy dark background, laid out as images/NAME.png + masks/NAME.png ({0,255} masks), the layout the
 * importer pairs by name; without masks when asked (for painting them in the UI). Seeded, so every run
 * sees the same pixels.
 */
export function writeSyntheticCells(options: { count: number; size: number; seed?: number; masks?: boolean }): SyntheticCells {
  const root = mkdtempSync(path.join(os.tmpdir(), 'unet-e2e-cells-'));
  const withMasks = options.masks ?? true;
  mkdirSync(path.join(root, 'images'));
  if (withMasks) mkdirSync(path.join(root, 'masks'));
  const images: SyntheticCells['images'] = [];
  let state = options.seed ?? 12345;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const { size } = options;
  for (let n = 0; n < options.count; n++) {
    const image = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, bitDepth: 8 });
    const mask = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, bitDepth: 8 });
    const discs = Array.from({ length: 5 + Math.floor(random() * 4) }, () => ({ x: random() * size, y: random() * size, r: size * (0.06 + random() * 0.06) }));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = discs.some((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r * d.r);
        const i = y * size + x;
        image.data[i] = Math.max(0, Math.min(255, Math.round((inside ? 170 : 50) + (random() - 0.5) * 60)));
        mask.data[i] = inside ? 255 : 0;
      }
    }
    const name = `cells_${String(n + 1).padStart(2, '0')}.png`;
    writeFileSync(path.join(root, 'images', name), PNG.sync.write(image, { colorType: 0, inputColorType: 0 }));
    if (withMasks) writeFileSync(path.join(root, 'masks', name), PNG.sync.write(mask, { colorType: 0, inputColorType: 0 }));
    images.push({ name, discs });
  }
  return { root, images };
}
