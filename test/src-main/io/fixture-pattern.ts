import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Expected pixel values of the committed fixtures; mirrors the formulas in scripts/make-image-fixtures.ts. */

export const FIXTURE_DIR = resolve(import.meta.dirname, '..', '..', 'fixtures', 'images');

export interface FixtureEntry {
  file: string;
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
  tolerance: number;
  expectError?: string;
}

export function loadManifest(): FixtureEntry[] {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'manifest.json'), 'utf8')) as FixtureEntry[];
}

export function fixturePath(file: string): string {
  return join(FIXTURE_DIR, file);
}

function palette(i: number): [number, number, number] {
  return [(i * 3) % 256, 255 - i, (i * 7) % 256];
}

function base(kind: string, x: number, y: number, c: number, f: number): number {
  switch (kind) {
    case 'u8': return (x * 7 + y * 13 + c * 50 + f * 29) % 256;
    case 'u16': return (x * 1031 + y * 2053 + c * 12007 + f * 307) % 65536;
    case 'u32': return (x * 1000003 + y * 70000007 + c * 300000007 + f * 13) % 4294967296;
    case 'i8': return ((x * 7 + y * 13 + c * 50 + f * 29) % 256) - 128;
    case 'i16': return ((x * 1031 + y * 2053 + c * 12007 + f * 307) % 65536) - 32768;
    case 'i32': return ((x * 1000003 + y * 70000007 + c * 300000007 + f * 13) % 4294967296) - 2147483648;
    case 'float': return (x - 2 * y + c * 0.25 + f) * 0.5;
    case 'bits1': return ((x + y + f) % 2) * 255;
    case 'bits2': return ((x + 2 * y) % 4) * 85;
    case 'bits4': return ((x + 3 * y) % 16) * 17;
    case 'bits12': return (x * 37 + y * 101 + c * 500) % 4096;
    case 'bits24': return (x * 100003 + y * 7001 + c * 999) % 16777216;
    case 'smooth': return x * 2 + y * 3 + c * 40;
    case 'index4': return (x + 3 * y) % 16;
    default: throw new Error(`unknown pattern ${kind}`);
  }
}

/** Value of sample (x, y, c) of frame f for a fixture pattern. */
export function patternValue(pattern: string, x: number, y: number, c: number, f = 0): number {
  const [mode, kind] = pattern.includes(':') ? pattern.split(':') : ['plain', pattern];
  if (mode === 'plain') return base(kind, x, y, c, f);
  const index = base(kind, x, y, 0, f);
  if (c === 3 && mode === 'palette-alpha') return (index * 5) % 256;
  return palette(index)[c];
}

/** Largest |actual - expected| over a window of an image; Infinity on a shape mismatch. */
export function maxPatternError(
  data: ArrayLike<number>,
  pattern: string,
  window: { x: number; y: number; width: number; height: number },
  channels: number,
  frame = 0,
): number {
  if (data.length !== window.width * window.height * channels) return Infinity;
  let worst = 0;
  for (let y = 0; y < window.height; y++) {
    for (let x = 0; x < window.width; x++) {
      for (let c = 0; c < channels; c++) {
        const actual = data[(y * window.width + x) * channels + c];
        const error = Math.abs(actual - patternValue(pattern, x + window.x, y + window.y, c, frame));
        if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
      }
    }
  }
  return worst;
}
