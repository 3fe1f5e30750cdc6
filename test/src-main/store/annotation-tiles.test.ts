import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTile, tileGrid, writeTile, type LabelTile } from '../../../src-shared/imaging/label-tiles';
import { encodeMaps } from '../../../src-main/store/annotation-codec';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, patternMaps, tempWorkspace } from './temp-workspace';

// 600 x 300 is a 3 x 2 grid of 256² tiles, the last column and row clipped.
const W = 600;
const H = 300;

/** Typed arrays compared as bytes (toEqual walks them element by element, slowly). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function tileCount(ws: Workspace): number {
  return (ws.db.prepare('SELECT count(*) AS n FROM annotation_tiles').get() as { n: number }).n;
}

/** A disc of class 2, object `id`, painted into the maps; returns the tiles it touched. */
function paintDisc(maps: { classMap: Uint8Array; instanceMap: Uint32Array }, cx: number, cy: number, r: number, id: number): LabelTile[] {
  const grid = tileGrid(W, H);
  const touched = new Set<number>();
  for (let y = cy - r; y <= cy + r; y++) {
    for (let x = cx - r; x <= cx + r; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      maps.classMap[y * W + x] = 2;
      maps.instanceMap[y * W + x] = id;
      touched.add(Math.floor(y / 256) * grid.across + Math.floor(x / 256));
    }
  }
  return [...touched].map((k) => readTile({ width: W, height: H, ...maps }, grid, k % grid.across, Math.floor(k / grid.across)));
}

describe('annotation versions stored as tiles', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let imageId: number;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    const d = ws.datasets.create({ name: 'd' });
    imageId = ws.images.insert(fakeImage(d.id, 'a.png', W, H)).id;
  });
  afterEach(() => t.dispose());

  it('saves an edit as the tiles it touched, with the counts of the whole maps', () => {
    const maps = { classMap: new Uint8Array(W * H), instanceMap: new Uint32Array(W * H) };
    const first = paintDisc(maps, 40, 40, 10, 1);
    expect(first).toHaveLength(1);
    expect(ws.annotations.saveTiles(imageId, { tiles: first, baseVersion: 0 })).toMatchObject({ version: 1, unchanged: false });
    // The painted tile and the four sizes of empty tile (full, clipped right, clipped bottom, corner).
    expect(tileCount(ws)).toBe(5);
    const second = paintDisc(maps, 256, 256, 12, 2); // across four tiles
    expect(second).toHaveLength(4);
    ws.annotations.saveTiles(imageId, { tiles: second, baseVersion: 1 });
    expect(tileCount(ws)).toBe(5 + 4);

    const latest = ws.annotations.latest(imageId)!;
    expect(latest.version).toBe(2);
    expect(sameBytes(latest.classMap, maps.classMap)).toBe(true);
    expect(sameBytes(latest.instanceMap, maps.instanceMap)).toBe(true);
    const painted = maps.classMap.filter((v) => v === 2).length;
    expect(ws.annotations.history(imageId)[0]).toMatchObject({ version: 2, labeledPixels: painted, instanceCount: 2, classCounts: { 2: painted } });
    // The same maps saved whole give the same history entry and reuse the stored tiles.
    const other = ws.images.insert(fakeImage(ws.images.get(imageId).datasetId, 'b.png', W, H)).id;
    ws.annotations.save(other, maps);
    expect(ws.annotations.history(other)[0]).toMatchObject({ labeledPixels: painted, instanceCount: 2, classCounts: { 2: painted } });
    // Erasing the first object (counted from the previous version's totals) leaves one.
    const grid = tileGrid(W, H);
    const erased = { tx: 0, ty: 0, classMap: Uint8Array.of(0), instanceMap: Uint32Array.of(0) };
    ws.annotations.saveTiles(imageId, { tiles: [erased], baseVersion: 2 });
    const left = maps.classMap.filter((v, i) => v === 2 && (i % W >= grid.size || Math.floor(i / W) >= grid.size)).length;
    expect(ws.annotations.history(imageId)[0]).toMatchObject({ version: 3, labeledPixels: left, instanceCount: 1, classCounts: { 2: left } });
  });

  it('adds nothing for tiles equal to the latest, refuses stale bases and tiles that do not fit', () => {
    const maps = { classMap: new Uint8Array(W * H), instanceMap: new Uint32Array(W * H) };
    const tiles = paintDisc(maps, 300, 100, 8, 4);
    ws.annotations.saveTiles(imageId, { tiles, baseVersion: 0 });
    expect(ws.annotations.saveTiles(imageId, { tiles, baseVersion: 1 })).toMatchObject({ version: 1, unchanged: true });
    expect(() => ws.annotations.saveTiles(imageId, { tiles, baseVersion: 0 })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => ws.annotations.saveTiles(imageId, { tiles: [{ tx: 3, ty: 0, classMap: Uint8Array.of(1), instanceMap: Uint32Array.of(0) }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ws.annotations.saveTiles(imageId, { tiles: [{ tx: 2, ty: 1, classMap: new Uint8Array(10), instanceMap: new Uint32Array(10) }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ws.annotations.saveTiles(imageId, { tiles: [{ tx: 0, ty: 0, classMap: Uint8Array.of(9), instanceMap: Uint32Array.of(0) }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { unknownClasses: [9] } }),
    );
    expect(ws.annotations.latestVersion(imageId)).toBe(1);
  });

  it('loads as the tiles that hold labels, uniform ones as one value', () => {
    expect(ws.annotations.labelTiles(imageId, W, H)).toMatchObject({ version: 0, tiles: [], tileSize: 256, width: W, height: H });
    const maps = { classMap: new Uint8Array(W * H), instanceMap: new Uint32Array(W * H) };
    const tiles = paintDisc(maps, 100, 100, 5, 1);
    ws.annotations.saveTiles(imageId, { tiles: [...tiles, { tx: 2, ty: 1, classMap: Uint8Array.of(1), instanceMap: Uint32Array.of(0) }], baseVersion: 0 });
    const loaded = ws.annotations.labelTiles(imageId, W, H);
    expect(loaded.version).toBe(1);
    expect(loaded.tiles.map((tile) => [tile.tx, tile.ty, tile.classMap.length])).toEqual([
      [0, 0, 256 * 256],
      [2, 1, 1],
    ]);
    const rebuilt = { width: W, height: H, classMap: new Uint8Array(W * H), instanceMap: new Uint32Array(W * H) };
    for (const tile of loaded.tiles) writeTile(rebuilt, tileGrid(W, H), tile);
    expect(sameBytes(rebuilt.classMap, ws.annotations.latest(imageId)!.classMap)).toBe(true);
  });

  it('reads versions stored whole and saves tiles on top of them', () => {
    const old = patternMaps(W, H, 3);
    const encoded = encodeMaps(old.classMap, old.instanceMap);
    ws.db
      .prepare(
        `INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels, instance_count, class_counts, source, created_at)
         VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'import', 't')`,
      )
      .run(imageId, W, H, encoded.classMap, encoded.instanceMap, encoded.contentHash, encoded.labeledPixels, encoded.instanceCount, JSON.stringify(encoded.classCounts));
    expect(sameBytes(ws.annotations.latest(imageId)!.classMap, old.classMap)).toBe(true);
    expect(ws.annotations.labelTiles(imageId, W, H).tiles).toHaveLength(6);
    const edited = { classMap: old.classMap.slice(), instanceMap: old.instanceMap.slice() };
    const tiles = paintDisc(edited, 500, 250, 6, 99);
    ws.annotations.saveTiles(imageId, { tiles, baseVersion: 1 });
    expect(sameBytes(ws.annotations.latest(imageId)!.instanceMap, edited.instanceMap)).toBe(true);
    expect(sameBytes(ws.annotations.version(imageId, 1).instanceMap, old.instanceMap)).toBe(true);
    // Saving the old content again whole is no change of the (tiled) latest; restoring version 1 is one.
    expect(ws.annotations.save(imageId, { ...edited, baseVersion: 2 })).toMatchObject({ unchanged: true });
    expect(ws.annotations.restore(imageId, 1, { baseVersion: 2 })).toMatchObject({ version: 3, unchanged: false });
    expect(sameBytes(ws.annotations.latest(imageId)!.classMap, old.classMap)).toBe(true);
    expect(ws.annotations.history(imageId)[0]).toMatchObject({ labeledPixels: encoded.labeledPixels, instanceCount: encoded.instanceCount, classCounts: encoded.classCounts });
  });
});
