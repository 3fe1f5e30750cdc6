import type { PixelSize } from './image-types';

/** Micrometres per unit for the length units microscopy files use. */
const MICRONS_PER_UNIT: Record<string, number> = {
  nm: 1e-3,
  nanometer: 1e-3,
  µm: 1,
  um: 1,
  micron: 1,
  microns: 1,
  micrometer: 1,
  mm: 1e3,
  millimeter: 1e3,
  cm: 1e4,
  centimeter: 1e4,
  m: 1e6,
  meter: 1e6,
};

function normaliseUnit(unit: string): string {
  // ImageJ writes "\u00B5m" literally in some versions and "micron" in others.
  return unit.trim().replace(/^\\u00B5/i, 'µ').replace(/^\u03bc/, 'µ').toLowerCase();
}

/**
 * Pixel size from a density (pixels per `unit`, as TIFF and PNG store it). Known length units become µm;
 * an unknown unit is kept as written; 'pixel', inches (print DPI, not a calibration) and bad numbers give none.
 */
export function pixelSizeFromDensity(xPerUnit: number, yPerUnit: number, unit: string): PixelSize | undefined {
  if (!(Number.isFinite(xPerUnit) && xPerUnit > 0 && Number.isFinite(yPerUnit) && yPerUnit > 0)) return undefined;
  const name = normaliseUnit(unit);
  if (name === '' || name === 'pixel' || name === 'pixels' || name === 'inch' || name === 'in') return undefined;
  const scale = MICRONS_PER_UNIT[name];
  if (scale === undefined) return { x: 1 / xPerUnit, y: 1 / yPerUnit, unit: unit.trim() };
  return { x: scale / xPerUnit, y: scale / yPerUnit, unit: 'µm' };
}
