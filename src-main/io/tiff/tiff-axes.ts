import { DIMENSION_ORDERS, stackPlaneCount, type DimensionOrder, type StackAxes } from '../../../src-shared/imaging/stack-axes';
import type { PixelSize } from '../image-types';
import { pixelSizeFromDensity } from '../pixel-size';

/** What a first page's ImageDescription says about the stack: its axes and pixel size. */
export interface DescribedStack {
  axes?: StackAxes;
  pixelSize?: PixelSize;
}

/**
 * Reads OME-XML (`<Pixels DimensionOrder SizeC SizeZ SizeT PhysicalSizeX ...>`) and ImageJ
 * (`ImageJ=...`, `channels=`, `slices=`, `frames=`, always XYCZT) descriptions. Axes are reported only
 * when they account for exactly the file's pages (a multi-file OME data set or a truncated stack keeps
 * its pages as plain frames); single planes have none. RGB OME-TIFFs count samples in SizeC, which
 * are divided out.
 */
export function describeStack(description: string | undefined, pages: number, samplesPerPixel: number): DescribedStack {
  if (!description) return {};
  const text = description.trimStart();
  if (text.startsWith('ImageJ=')) return fromImageJ(text, pages);
  if (text.startsWith('<') && /<(?:\w+:)?OME\b/.test(text)) return fromOme(text, pages, samplesPerPixel);
  return {};
}

function fromImageJ(text: string, pages: number): DescribedStack {
  const value = (key: string) => {
    const match = new RegExp(`^${key}=(\\d+)\\s*$`, 'm').exec(text);
    return match ? Number(match[1]) : 1;
  };
  const axes: StackAxes = { sizeC: value('channels'), sizeZ: value('slices'), sizeT: value('frames'), order: 'XYCZT', source: 'imagej' };
  return stackMatches(axes, pages) ? { axes } : {};
}

function fromOme(text: string, pages: number, samplesPerPixel: number): DescribedStack {
  const element = /<(?:\w+:)?Pixels\b([^>]*)>/.exec(text);
  if (!element) return {};
  const attrs = new Map<string, string>();
  for (const m of element[1].matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attrs.set(m[1], decodeEntities(m[2]));
  const size = (key: string) => {
    const n = Number(attrs.get(key) ?? '1');
    return Number.isInteger(n) && n >= 1 ? n : NaN;
  };
  const order = (attrs.get('DimensionOrder') ?? 'XYZCT').toUpperCase();
  let sizeC = size('SizeC');
  if (samplesPerPixel > 1 && sizeC % samplesPerPixel === 0) sizeC /= samplesPerPixel;
  const result: DescribedStack = {};
  const px = Number(attrs.get('PhysicalSizeX'));
  const py = Number(attrs.get('PhysicalSizeY') ?? px);
  if (px > 0 && py > 0) {
    result.pixelSize = pixelSizeFromDensity(1 / px, 1 / py, attrs.get('PhysicalSizeXUnit') ?? 'µm');
  }
  if ((DIMENSION_ORDERS as readonly string[]).includes(order)) {
    const axes: StackAxes = { sizeC, sizeZ: size('SizeZ'), sizeT: size('SizeT'), order: order as DimensionOrder, source: 'ome' };
    if (stackMatches(axes, pages)) result.axes = axes;
  }
  return result;
}

function stackMatches(axes: StackAxes, pages: number): boolean {
  const planes = stackPlaneCount(axes);
  return Number.isInteger(planes) && planes > 1 && planes === pages;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
