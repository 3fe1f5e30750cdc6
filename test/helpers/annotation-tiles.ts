import type { AnnotationData, AnnotationTiles } from '../../src-shared/contract/records';
import { readTile, tileGrid } from '../../src-shared/imaging/label-tiles';

/** A stored annotation as the tiles that hold labels, as `annotations.tiles` answers. */
export function asTiles(a: AnnotationData): AnnotationTiles {
  const grid = tileGrid(a.width, a.height);
  const tiles = [];
  for (let ty = 0; ty < grid.down; ty++) {
    for (let tx = 0; tx < grid.across; tx++) {
      const tile = readTile(a, grid, tx, ty);
      if (tile.classMap.length > 1 || tile.classMap[0] !== 0 || tile.instanceMap[0] !== 0) tiles.push(tile);
    }
  }
  const { classMap: _c, instanceMap: _i, predictionRunId: _p, ...rest } = a;
  return { ...rest, tileSize: grid.size, tiles };
}
