/**
 * Annotation maps cut into square tiles, so that a stroke travels and is stored as the few tiles it
 * touched rather than the whole image. Tiles are addressed by column and row on a grid of
 * `LABEL_TILE_SIZE` pixels; the last column and row are clipped to the image.
 */
export const LABEL_TILE_SIZE = 256;

/** The class and instance maps of one image, row-major (as painted and as stored). */
export interface TiledMaps {
  width: number;
  height: number;
  classMap: Uint8Array;
  instanceMap: Uint32Array;
}

/**
 * One tile's pixels, row-major over its clipped width x height. A uniform tile (every pixel the same
 * class and instance, e.g. an empty or a filled one) carries one value in each map instead.
 */
export interface LabelTile {
  tx: number;
  ty: number;
  classMap: Uint8Array<ArrayBuffer>;
  instanceMap: Uint32Array<ArrayBuffer>;
}

export interface TileGrid {
  width: number;
  height: number;
  size: number;
  across: number;
  down: number;
}

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function tileGrid(width: number, height: number, size = LABEL_TILE_SIZE): TileGrid {
  return { width, height, size, across: Math.ceil(width / size), down: Math.ceil(height / size) };
}

/** The pixels a tile covers (clipped to the image). */
export function tileRect(grid: TileGrid, tx: number, ty: number): TileRect {
  const x = tx * grid.size;
  const y = ty * grid.size;
  return { x, y, width: Math.min(grid.size, grid.width - x), height: Math.min(grid.size, grid.height - y) };
}

/** True when the tile carries one value per map (it stands for a tile of that value everywhere). */
export function isUniformTile(tile: Pick<LabelTile, 'classMap' | 'instanceMap'>): boolean {
  return tile.classMap.length === 1 && tile.instanceMap.length === 1;
}

/** Copies a tile out of the maps; a uniform tile comes back as one value per map. */
export function readTile(maps: TiledMaps, grid: TileGrid, tx: number, ty: number): LabelTile {
  const r = tileRect(grid, tx, ty);
  const c0 = maps.classMap[r.y * maps.width + r.x];
  const i0 = maps.instanceMap[r.y * maps.width + r.x];
  let uniform = true;
  for (let y = 0; y < r.height && uniform; y++) {
    const row = (r.y + y) * maps.width + r.x;
    for (let x = 0; x < r.width; x++) {
      if (maps.classMap[row + x] !== c0 || maps.instanceMap[row + x] !== i0) {
        uniform = false;
        break;
      }
    }
  }
  if (uniform) return { tx, ty, classMap: Uint8Array.of(c0), instanceMap: Uint32Array.of(i0) };
  const classMap = new Uint8Array(r.width * r.height);
  const instanceMap = new Uint32Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) {
    const row = (r.y + y) * maps.width + r.x;
    classMap.set(maps.classMap.subarray(row, row + r.width), y * r.width);
    instanceMap.set(maps.instanceMap.subarray(row, row + r.width), y * r.width);
  }
  return { tx, ty, classMap, instanceMap };
}

/** Why a tile does not fit the grid, or null when it does. */
export function tileProblem(grid: TileGrid, tile: LabelTile): string | null {
  if (!Number.isInteger(tile.tx) || !Number.isInteger(tile.ty) || tile.tx < 0 || tile.ty < 0 || tile.tx >= grid.across || tile.ty >= grid.down) {
    return `tile (${tile.tx}, ${tile.ty}) is outside the ${grid.across}x${grid.down} tile grid`;
  }
  if (isUniformTile(tile)) return null;
  const r = tileRect(grid, tile.tx, tile.ty);
  const n = r.width * r.height;
  if (tile.classMap.length !== n || tile.instanceMap.length !== n) {
    return `tile (${tile.tx}, ${tile.ty}) must hold ${r.width}x${r.height} values per map (or one for a uniform tile)`;
  }
  return null;
}

/** Writes a tile into the maps (throws when it does not fit the grid). */
export function writeTile(maps: TiledMaps, grid: TileGrid, tile: LabelTile): void {
  const problem = tileProblem(grid, tile);
  if (problem) throw new RangeError(problem);
  const r = tileRect(grid, tile.tx, tile.ty);
  const uniform = isUniformTile(tile);
  for (let y = 0; y < r.height; y++) {
    const row = (r.y + y) * maps.width + r.x;
    if (uniform) {
      maps.classMap.fill(tile.classMap[0], row, row + r.width);
      maps.instanceMap.fill(tile.instanceMap[0], row, row + r.width);
    } else {
      maps.classMap.set(tile.classMap.subarray(y * r.width, (y + 1) * r.width), row);
      maps.instanceMap.set(tile.instanceMap.subarray(y * r.width, (y + 1) * r.width), row);
    }
  }
}

/** A uniform tile expanded to its full clipped size. */
export function expandTile(grid: TileGrid, tile: LabelTile): LabelTile {
  if (!isUniformTile(tile)) return tile;
  const r = tileRect(grid, tile.tx, tile.ty);
  const n = r.width * r.height;
  return { tx: tile.tx, ty: tile.ty, classMap: new Uint8Array(n).fill(tile.classMap[0]), instanceMap: new Uint32Array(n).fill(tile.instanceMap[0]) };
}

/** Raw bytes a tile takes on the wire (its typed arrays). */
export function tileBytes(tile: LabelTile): number {
  return tile.classMap.byteLength + tile.instanceMap.byteLength;
}
