import { zipSync } from 'fflate';
import { UnetError } from '../../../src-shared/contract/errors';
import { outlinePolygons, traceObjectOutlines, type ContourRing, type ObjectOutline } from '../../../src-shared/imaging/contour-trace';
import type { LabelArray } from '../../../src-shared/imaging/types';
import { encodeImageJRoi } from './imagej-roi';
import { writeFileAtomically } from '../write-atomically';

/** `zip`: an ImageJ / Fiji ROI set; `geojson`: a QuPath-readable GeoJSON FeatureCollection. */
export const ROI_FORMATS = ['zip', 'geojson'] as const;
export type RoiFormat = (typeof ROI_FORMATS)[number];

export interface InstanceRoiOptions {
  /** The objects' class (QuPath classification; default "Nucleus"-like names come from the model). */
  className?: string;
  /** RGB colour of that class in QuPath. */
  classColor?: [number, number, number];
}

export interface RoiExport {
  file: string;
  format: RoiFormat;
  objects: number;
}

/** The ROI name of a label: zero-padded so that ImageJ's ROI Manager lists objects in label order. */
export function roiName(label: number, largestLabel: number): string {
  return `label-${String(label).padStart(Math.max(4, String(largestLabel).length), '0')}`;
}

/** Where the ROIs of a label image with stem NAME go: NAME.rois.zip or NAME.geojson. */
export function roiFileName(stem: string, format: RoiFormat): string {
  return format === 'zip' ? `${stem}.rois.zip` : `${stem}.geojson`;
}

/** An ImageJ ROI set: a zip of one `.roi` per object, named by its label. */
export function imagejRoiSet(outlines: readonly ObjectOutline[]): Uint8Array {
  const largest = outlines.reduce((m, o) => Math.max(m, o.label), 0);
  const entries: Record<string, Uint8Array> = {};
  for (const o of outlines) {
    const name = roiName(o.label, largest);
    entries[`${name}.roi`] = encodeImageJRoi(name, o.rings);
  }
  // ROI files are small and many: store them, as ImageJ does.
  return zipSync(entries, { level: 0 });
}

export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
}

export interface GeoJsonFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: {
    objectType: 'detection';
    name: string;
    classification: { name: string; color: [number, number, number] };
    isLocked: boolean;
    measurements: Record<string, number>;
  };
}

/**
 * Objects as QuPath reads them (File > Import objects): one feature per object in pixel coordinates,
 * a Polygon (outer ring, then holes) or a MultiPolygon for an object in several parts, with the class
 * in `properties.classification`. Rings are closed; outer rings run counter-clockwise by the
 * shoelace formula on the coordinates as written and holes clockwise, as RFC 7946 asks.
 */
export function qupathGeoJson(outlines: readonly ObjectOutline[], options: InstanceRoiOptions = {}): GeoJsonFeatureCollection {
  const largest = outlines.reduce((m, o) => Math.max(m, o.label), 0);
  const classification = { name: options.className ?? 'Object', color: options.classColor ?? ([230, 80, 60] as [number, number, number]) };
  const features = outlines.map((o): GeoJsonFeature => {
    const polygons = outlinePolygons(o).map((p) => [closedRing(p.outer), ...p.holes.map(closedRing)]);
    return {
      type: 'Feature',
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      properties: {
        objectType: 'detection',
        name: roiName(o.label, largest),
        classification,
        isLocked: false,
        measurements: { Label: o.label, 'Area px': o.area },
      },
    };
  });
  return { type: 'FeatureCollection', features };
}

function closedRing(ring: ContourRing): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ring.points.length; i += 2) out.push([ring.points[i], ring.points[i + 1]]);
  out.push([ring.points[0], ring.points[1]]);
  return out;
}

/** Traces a label image's objects and writes them as an ImageJ ROI set or GeoJSON file. */
export async function writeInstanceRois(file: string, format: RoiFormat, labels: LabelArray, width: number, height: number, options: InstanceRoiOptions = {}): Promise<RoiExport> {
  if (!(ROI_FORMATS as readonly string[]).includes(format)) throw new UnetError('INVALID_ARGUMENT', `ROI format must be one of ${ROI_FORMATS.join(', ')}, got ${String(format)}`);
  const outlines = traceObjectOutlines(labels, width, height);
  const bytes = format === 'zip' ? imagejRoiSet(outlines) : new TextEncoder().encode(JSON.stringify(qupathGeoJson(outlines, options)));
  await writeFileAtomically(file, bytes, { makeFolder: true });
  return { file, format, objects: outlines.length };
}

