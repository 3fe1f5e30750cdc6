import { describe, expect, it } from 'vitest';
import { expandTile, readTile, tileGrid, tileProblem, tileRect, writeTile, type TiledMaps } from '../../../src-shared/imaging/label-tiles';

function maps(width: number, height: number): TiledMaps {
  return { width, height, classMap: new Uint8Array(width * height), instanceMap: new Uint32Array(width * height) };
}

describe('label tiles', () => {
  it('cuts the image into a grid whose last column and row are clipped', () => {
    const grid = tileGrid(10, 7, 4);
    expect(grid).toMatchObject({ across: 3, down: 2 });
    expect(tileRect(grid, 0, 0)).toEqual({ x: 0, y: 0, width: 4, height: 4 });
    expect(tileRect(grid, 2, 1)).toEqual({ x: 8, y: 4, width: 2, height: 3 });
  });

  it('reads a uniform tile as one value per map and a painted one pixel by pixel', () => {
    const m = maps(10, 7);
    const grid = tileGrid(10, 7, 4);
    m.classMap.fill(1);
    m.classMap[5 * 10 + 9] = 2;
    m.instanceMap[5 * 10 + 9] = 7;
    const empty = readTile(m, grid, 0, 0);
    expect([...empty.classMap, ...empty.instanceMap]).toEqual([1, 0]);
    const corner = readTile(m, grid, 2, 1);
    expect(corner.classMap).toEqual(Uint8Array.from([1, 1, 1, 2, 1, 1]));
    expect(corner.instanceMap).toEqual(Uint32Array.from([0, 0, 0, 7, 0, 0]));
  });

  it('writes tiles back, uniform or not, so that read then write is the identity', () => {
    const source = maps(10, 7);
    for (let i = 0; i < source.classMap.length; i++) {
      source.classMap[i] = i % 3;
      source.instanceMap[i] = i % 5 === 0 ? 0 : 1000 + i;
    }
    source.classMap.fill(2, 0, 4); // a row of the first tile differs, the tile is not uniform
    const grid = tileGrid(10, 7, 4);
    const copy = maps(10, 7);
    for (let ty = 0; ty < grid.down; ty++) for (let tx = 0; tx < grid.across; tx++) writeTile(copy, grid, readTile(source, grid, tx, ty));
    expect(copy).toEqual(source);
    writeTile(copy, grid, { tx: 1, ty: 0, classMap: Uint8Array.of(9), instanceMap: Uint32Array.of(3) });
    expect(copy.classMap[4]).toBe(9);
    expect(copy.instanceMap[3 * 10 + 7]).toBe(3);
    expect(copy.classMap[3 * 10 + 8]).toBe(source.classMap[3 * 10 + 8]);
  });

  it('names what does not fit the grid', () => {
    const grid = tileGrid(10, 7, 4);
    expect(tileProblem(grid, { tx: 3, ty: 0, classMap: Uint8Array.of(0), instanceMap: Uint32Array.of(0) })).toMatch(/outside/);
    expect(tileProblem(grid, { tx: 2, ty: 1, classMap: new Uint8Array(16), instanceMap: new Uint32Array(16) })).toMatch(/2x3/);
    expect(tileProblem(grid, { tx: 2, ty: 1, classMap: new Uint8Array(6), instanceMap: new Uint32Array(6) })).toBeNull();
    expect(() => writeTile(maps(10, 7), grid, { tx: -1, ty: 0, classMap: Uint8Array.of(0), instanceMap: Uint32Array.of(0) })).toThrow(RangeError);
    expect(expandTile(grid, { tx: 2, ty: 1, classMap: Uint8Array.of(4), instanceMap: Uint32Array.of(2) }).classMap).toEqual(new Uint8Array(6).fill(4));
  });
});
