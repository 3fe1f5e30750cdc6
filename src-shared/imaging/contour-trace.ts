import { UnetError } from '../contract/errors';
import type { LabelArray } from './types';

/**
 * One closed outline along pixel edges: vertices at pixel corners (x, y integers, y down), only where
 * the direction changes; the closing edge back to the first vertex is implicit.
 */
export interface ContourRing {
  /** x0, y0, x1, y1, ... */
  points: Int32Array;
  /** Shoelace area in pixels: positive for an outer boundary, negative for a hole. */
  signedArea: number;
}

/** One object of a label image: its outer boundaries (one per 4-connected part) and its holes. */
export interface ObjectOutline {
  label: number;
  /** Pixels of the object. */
  area: number;
  /** Bounding box in pixel corners: [left, top, right, bottom) with right/bottom exclusive. */
  bounds: { left: number; top: number; right: number; bottom: number };
  rings: ContourRing[];
}

/** An outer ring with the holes inside it (a GeoJSON polygon). */
export interface OutlinePolygon {
  outer: ContourRing;
  holes: ContourRing[];
}

// Directions of a boundary edge: 0 = +x, 1 = +y, 2 = -x, 3 = -y (image coordinates, y down).
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
// The pixel on the right of an edge leaving vertex (vx, vy) in direction d is (vx + RX[d], vy + RY[d]);
// the pixel on its left is (vx + LX[d], vy + LY[d]).
const RX = [0, -1, -1, 0];
const RY = [0, 0, -1, -1];
const LX = [0, 0, -1, -1];
const LY = [-1, 0, 0, -1];
// The side of the right-hand pixel an edge runs along (bit per side: top, right, bottom, left), by direction.
const SIDE_BIT = [1, 2, 4, 8];
// Where an edge of each side starts, relative to its pixel's top-left corner.
const SIDE_START_X = [0, 1, 1, 0];
const SIDE_START_Y = [0, 0, 1, 1];

/**
 * Traces the outline of every labelled object (label > 0) along pixel edges, each object kept apart
 * from its touching neighbours because an edge belongs to one label. Boundaries are walked with the
 * object on the right: outer rings come out clockwise on screen (positive shoelace area in y-down
 * coordinates), holes the other way. At a corner where two pixels of one label touch only diagonally
 * the walk turns right, so such parts become separate rings (4-connectivity). Filling the rings of an
 * object by the even-odd rule at pixel centres gives back exactly its pixels.
 */
export function traceObjectOutlines(labels: LabelArray, width: number, height: number): ObjectOutline[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || labels.length !== width * height) {
    throw new UnetError('INVALID_ARGUMENT', `a ${width} x ${height} label image needs ${width * height} values, got ${labels.length}`);
  }
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? -1 : labels[y * width + x]);
  const visited = new Uint8Array(width * height);
  const byLabel = new Map<number, ObjectOutline>();

  const outlineOf = (label: number): ObjectOutline => {
    let o = byLabel.get(label);
    if (!o) {
      o = { label, area: 0, bounds: { left: width, top: height, right: 0, bottom: 0 }, rings: [] };
      byLabel.set(label, o);
    }
    return o;
  };

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = labels[y * width + x];
      if (label === 0) continue;
      if (!(label > 0) || !Number.isInteger(label)) throw new UnetError('INVALID_ARGUMENT', `labels must be non-negative integers, found ${label} at (${x}, ${y})`);
      const o = outlineOf(label);
      o.area++;
      const b = o.bounds;
      if (x < b.left) b.left = x;
      if (y < b.top) b.top = y;
      if (x + 1 > b.right) b.right = x + 1;
      if (y + 1 > b.bottom) b.bottom = y + 1;
      for (let d = 0; d < 4; d++) {
        if (visited[y * width + x] & SIDE_BIT[d]) continue;
        const sx = x + SIDE_START_X[d];
        const sy = y + SIDE_START_Y[d];
        if (at(sx + LX[d], sy + LY[d]) === label) continue; // the neighbour across this side is the same object
        o.rings.push(traceRing(sx, sy, d, label, at, visited, width));
      }
    }
  }
  return [...byLabel.values()].sort((a, b) => a.label - b.label);
}

function traceRing(
  startX: number,
  startY: number,
  startDir: number,
  label: number,
  at: (x: number, y: number) => number,
  visited: Uint8Array,
  width: number,
): ContourRing {
  const points: number[] = [];
  let vx = startX;
  let vy = startY;
  let d = startDir;
  let twiceArea = 0;
  for (;;) {
    // Mark this edge on its right-hand pixel.
    visited[(vy + RY[d]) * width + (vx + RX[d])] |= SIDE_BIT[d];
    const nx = vx + DX[d];
    const ny = vy + DY[d];
    twiceArea += vx * ny - nx * vy;
    // Next edge from (nx, ny): right turn first, then straight, then left.
    let next = -1;
    for (const turn of [1, 0, 3]) {
      const c = (d + turn) & 3;
      if (at(nx + RX[c], ny + RY[c]) === label && at(nx + LX[c], ny + LY[c]) !== label) {
        next = c;
        break;
      }
    }
    if (next < 0) throw new UnetError('INTERNAL', `outline of label ${label} is open at (${nx}, ${ny})`);
    if (next !== d) points.push(nx, ny);
    vx = nx;
    vy = ny;
    d = next;
    if (vx === startX && vy === startY && d === startDir) break;
  }
  return { points: Int32Array.from(points), signedArea: twiceArea / 2 };
}

/**
 * Groups an object's rings into polygons: each hole goes to the smallest outer ring that contains it
 * (an object may have several parts, and a part may sit inside another part's hole).
 */
export function outlinePolygons(outline: ObjectOutline): OutlinePolygon[] {
  const outers = outline.rings.filter((r) => r.signedArea > 0).sort((a, b) => a.signedArea - b.signedArea);
  const polygons = outers.map((outer) => ({ outer, holes: [] as ContourRing[] }));
  for (const hole of outline.rings.filter((r) => r.signedArea < 0)) {
    const [px, py] = pointInsideHole(hole);
    const home = polygons.length === 1 ? polygons[0] : polygons.find((p) => ringContains(p.outer, px, py));
    if (!home) throw new UnetError('INTERNAL', `a hole of label ${outline.label} lies outside every outer boundary`);
    home.holes.push(hole);
  }
  return polygons;
}

/** The centre of a pixel just inside a hole: left of the hole ring's first edge. */
function pointInsideHole(ring: ContourRing): [number, number] {
  const p = ring.points;
  const x0 = p[0];
  const y0 = p[1];
  const x1 = p[2];
  const y1 = p[3];
  const d = x1 > x0 ? 0 : y1 > y0 ? 1 : x1 < x0 ? 2 : 3;
  return [x0 + LX[d] + 0.5, y0 + LY[d] + 0.5];
}

/** Even-odd point-in-ring test for a point that is never on an edge (a pixel centre). */
export function ringContains(ring: ContourRing, px: number, py: number): boolean {
  const p = ring.points;
  const n = p.length / 2;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = p[2 * i];
    const yi = p[2 * i + 1];
    const xj = p[2 * j];
    const yj = p[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
