import { UnetError } from '../../../src-shared/contract/errors';
import type { ContourRing } from '../../../src-shared/imaging/contour-trace';

/**
 * ImageJ's binary ROI format (ij.io.RoiEncoder, version 228), big-endian: a 64-byte header, the
 * coordinates, a second 64-byte header, then the name in UTF-16. Only what an outline needs is
 * written: a polygon ROI (type 0, coordinates as shorts relative to the bounding box) for an object
 * with one boundary, and a composite ROI (type 1 with a float path of moveTo/lineTo/close segments in
 * image coordinates, filled even-odd by ImageJ) for an object with holes or several parts.
 */
export const ROI_VERSION = 228;
export const ROI_TYPE_POLYGON = 0;
export const ROI_TYPE_RECT = 1;

export const ROI_HEADER = {
  magic: 0,
  version: 4,
  type: 6,
  top: 8,
  left: 10,
  bottom: 12,
  right: 14,
  nCoordinates: 16,
  shapeRoiSize: 36,
  position: 56,
  header2Offset: 60,
  coordinates: 64,
} as const;

export const ROI_HEADER2 = { cPosition: 4, zPosition: 8, tPosition: 12, nameOffset: 16, nameLength: 20 } as const;

const HEADER_SIZE = 64;
const HEADER2_SIZE = 64;
/** Polygon coordinates are 16-bit: ImageJ reads larger values as unsigned only below -5000. */
export const ROI_MAX_COORDINATE = 32767;
const MAX_POLYGON_POINTS = 65535;
const SEG_MOVETO = 0;
const SEG_LINETO = 1;
const SEG_CLOSE = 4;

export interface RoiPosition {
  /** 1-based channel, slice and frame of a hyperstack; 0 = all. */
  c?: number;
  z?: number;
  t?: number;
}

/** Encodes one object's outline rings (pixel-corner coordinates) as a .roi file named `name`. */
export function encodeImageJRoi(name: string, rings: readonly ContourRing[], position: RoiPosition = {}): Uint8Array {
  if (rings.length === 0) throw new UnetError('INVALID_ARGUMENT', `ROI "${name}" has no outline`);
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const ring of rings) {
    for (let i = 0; i < ring.points.length; i += 2) {
      left = Math.min(left, ring.points[i]);
      right = Math.max(right, ring.points[i]);
      top = Math.min(top, ring.points[i + 1]);
      bottom = Math.max(bottom, ring.points[i + 1]);
    }
  }
  if (left < 0 || top < 0 || right > ROI_MAX_COORDINATE || bottom > ROI_MAX_COORDINATE) {
    throw new UnetError('TOO_LARGE', `ROI "${name}" reaches (${right}, ${bottom}): ImageJ ROI files hold coordinates up to ${ROI_MAX_COORDINATE}`);
  }
  const polygon = rings.length === 1 && rings[0].points.length / 2 <= MAX_POLYGON_POINTS;
  const shape = polygon ? null : shapeArray(rings);
  const coordinateBytes = polygon ? rings[0].points.length * 2 : shape!.length * 4;
  const header2 = HEADER_SIZE + coordinateBytes;
  const bytes = new Uint8Array(header2 + HEADER2_SIZE + name.length * 2);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x6f, 0x75, 0x74], ROI_HEADER.magic); // "Iout"
  view.setInt16(ROI_HEADER.version, ROI_VERSION);
  view.setUint8(ROI_HEADER.type, polygon ? ROI_TYPE_POLYGON : ROI_TYPE_RECT);
  view.setInt16(ROI_HEADER.top, top);
  view.setInt16(ROI_HEADER.left, left);
  view.setInt16(ROI_HEADER.bottom, bottom);
  view.setInt16(ROI_HEADER.right, right);
  if (polygon) {
    const points = rings[0].points;
    const n = points.length / 2;
    view.setUint16(ROI_HEADER.nCoordinates, n);
    for (let i = 0; i < n; i++) {
      view.setInt16(ROI_HEADER.coordinates + 2 * i, points[2 * i] - left);
      view.setInt16(ROI_HEADER.coordinates + 2 * n + 2 * i, points[2 * i + 1] - top);
    }
  } else {
    view.setInt32(ROI_HEADER.shapeRoiSize, shape!.length);
    shape!.forEach((v, i) => view.setFloat32(ROI_HEADER.coordinates + 4 * i, v));
  }
  view.setInt32(ROI_HEADER.header2Offset, header2);
  view.setInt32(header2 + ROI_HEADER2.cPosition, position.c ?? 0);
  view.setInt32(header2 + ROI_HEADER2.zPosition, position.z ?? 0);
  view.setInt32(header2 + ROI_HEADER2.tPosition, position.t ?? 0);
  view.setInt32(header2 + ROI_HEADER2.nameOffset, header2 + HEADER2_SIZE);
  view.setInt32(header2 + ROI_HEADER2.nameLength, name.length);
  for (let i = 0; i < name.length; i++) view.setUint16(header2 + HEADER2_SIZE + 2 * i, name.charCodeAt(i));
  return bytes;
}

/** The path of a composite ROI: per ring moveTo, lineTo..., close. */
function shapeArray(rings: readonly ContourRing[]): Float32Array {
  let length = 0;
  for (const ring of rings) length += (ring.points.length / 2) * 3 + 1;
  const out = new Float32Array(length);
  let k = 0;
  for (const ring of rings) {
    for (let i = 0; i < ring.points.length; i += 2) {
      out[k++] = i === 0 ? SEG_MOVETO : SEG_LINETO;
      out[k++] = ring.points[i];
      out[k++] = ring.points[i + 1];
    }
    out[k++] = SEG_CLOSE;
  }
  return out;
}
