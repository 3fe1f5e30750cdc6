#!/usr/bin/env node
// Draws the app icon (a U of feature-map blocks, the shape of the network) into resources/icons.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const size = 512;
const png = new PNG({ width: size, height: size });
const put = (x, y, [r, g, b, a]) => {
  const i = (y * size + x) * 4;
  png.data[i] = r; png.data[i + 1] = g; png.data[i + 2] = b; png.data[i + 3] = a;
};
const rect = (x0, y0, w, h, color) => {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) put(x, y, color);
};
// Rounded dark background.
for (let y = 0; y < size; y++)
  for (let x = 0; x < size; x++) {
    const dx = Math.max(0, Math.abs(x - 255.5) - 200), dy = Math.max(0, Math.abs(y - 255.5) - 200);
    put(x, y, Math.hypot(dx, dy) <= 52 ? [20, 23, 28, 255] : [0, 0, 0, 0]);
  }
const blue = [74, 163, 255, 255], teal = [63, 185, 160, 255], grey = [120, 130, 145, 255];
const levels = 4, block = 40;
for (let l = 0; l < levels; l++) {
  const y = 90 + l * 80, h = block + 10 - l * 4, w = 18 + l * 8;
  rect(80 + l * 42, y, w, h, blue); // contracting path
  rect(size - 80 - l * 42 - w, y, w, h, teal); // expanding path
  if (l < levels - 1) rect(80 + l * 42 + w + 6, y + h / 2 - 2, size - 2 * (80 + l * 42 + w + 6), 4, grey); // skip links
}
rect(208, 410, 96, 34, [230, 233, 239, 255]); // bottleneck
mkdirSync(path.join(root, 'resources', 'icons'), { recursive: true });
writeFileSync(path.join(root, 'resources', 'icons', 'icon.png'), PNG.sync.write(png));
console.log('resources/icons/icon.png written');
