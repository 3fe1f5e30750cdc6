import { unzipSync } from 'fflate';

/**
 * A reader of ImageJ .roi files written from ImageJ's RoiDecoder layout (not from the app's encoder),
 * for tests: header fields, polygon coordinates relative to the bounding box, composite paths.
 */
export interface DecodedRoi {
  entry: string;
  magic: string;
  version: number;
  type: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
  nCoordinates: number;
  /** Polygon coordinates as stored (relative to left/top). */
  relativeX: number[];
  relativeY: number[];
  shapeRoiSize: number;
  name: string;
  position: { c: number; z: number; t: number };
  /** Outline rings in image coordinates (x0, y0, x1, y1, ...). */
  rings: number[][];
}

export function decodeRoi(entry: string, bytes: Uint8Array): DecodedRoi {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const type = v.getUint8(6);
  const top = v.getInt16(8);
  const left = v.getInt16(10);
  const n = v.getUint16(16);
  const shapeRoiSize = v.getInt32(36);
  const relativeX: number[] = [];
  const relativeY: number[] = [];
  const rings: number[][] = [];
  if (shapeRoiSize > 0) {
    let ring: number[] = [];
    for (let k = 0; k < shapeRoiSize; ) {
      const seg = v.getFloat32(64 + 4 * k++);
      if (seg === 0 || seg === 1) {
        if (seg === 0 && ring.length) rings.push(ring), (ring = []);
        ring.push(v.getFloat32(64 + 4 * k++), v.getFloat32(64 + 4 * k++));
      } else if (seg === 4) {
        rings.push(ring);
        ring = [];
      } else throw new Error(`segment type ${seg} in ${entry}`);
    }
    if (ring.length) rings.push(ring);
  } else {
    const ring: number[] = [];
    for (let i = 0; i < n; i++) {
      relativeX.push(v.getInt16(64 + 2 * i));
      relativeY.push(v.getInt16(64 + 2 * n + 2 * i));
      ring.push(left + relativeX[i], top + relativeY[i]);
    }
    rings.push(ring);
  }
  const h2 = v.getInt32(60);
  const nameOffset = v.getInt32(h2 + 16);
  const nameLength = v.getInt32(h2 + 20);
  let name = '';
  for (let i = 0; i < nameLength; i++) name += String.fromCharCode(v.getUint16(nameOffset + 2 * i));
  return {
    entry,
    magic,
    version: v.getInt16(4),
    type,
    top,
    left,
    bottom: v.getInt16(12),
    right: v.getInt16(14),
    nCoordinates: n,
    relativeX,
    relativeY,
    shapeRoiSize,
    name,
    position: { c: v.getInt32(h2 + 4), z: v.getInt32(h2 + 8), t: v.getInt32(h2 + 12) },
    rings,
  };
}

export function decodeRoiSet(zip: Uint8Array): DecodedRoi[] {
  return Object.entries(unzipSync(zip)).map(([entry, bytes]) => decodeRoi(entry, bytes));
}

/** The rings of a GeoJSON Polygon or MultiPolygon as flat x, y arrays (closing point kept; harmless). */
export function geoJsonRings(geometry: { type: string; coordinates: unknown }): number[][] {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  return polygons.flatMap((polygon) => polygon.map((ring) => ring.flat()));
}

/** IoU of the pixels where `a` equals `la` and `b` equals `lb`. */
export function objectIou(a: ArrayLike<number>, la: number, b: ArrayLike<number>, lb: number): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const ia = a[i] === la;
    const ib = b[i] === lb;
    if (ia && ib) inter++;
    if (ia || ib) union++;
  }
  return union === 0 ? 1 : inter / union;
}
