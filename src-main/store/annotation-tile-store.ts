import { UnetError } from '../../src-shared/contract/errors';
import { tileRect, writeTile, type LabelTile, type TileGrid } from '../../src-shared/imaging/label-tiles';
import { decodeTile, idsOfBlob, uniformOfHash, type EncodedTile } from './annotation-tile-codec';
import type { Db } from './database';

interface TileRow {
  id: number;
  hash: string;
  width: number;
  height: number;
  class_map: Buffer;
  instance_map: Buffer;
}

/** What a version's history entry counts: pixels per class (0 included) and its objects. */
export interface VersionTotals {
  classCounts: Float64Array;
  /** Object id -> number of tile positions that hold it (the object count is the map's size). */
  objects: Map<number, number>;
}

/**
 * The rows of `annotation_tiles`: one per distinct tile content per image, shared by every version
 * (and every position) that holds that content.
 */
export class AnnotationTileStore {
  /** The totals of the version saved last, so the next save counts only the tiles it changes. */
  private last: { contentHash: string; totals: VersionTotals } | null = null;

  constructor(private readonly db: Db) {}

  /** The row id of a tile with this content, inserting it when the image has none yet. */
  idFor(imageId: number, tile: EncodedTile): number {
    const found = this.db.prepare('SELECT id FROM annotation_tiles WHERE image_id = ? AND hash = ?').get(imageId, tile.hash) as { id: number } | undefined;
    if (found) return found.id;
    const result = this.db
      .prepare(
        `INSERT INTO annotation_tiles (image_id, hash, width, height, class_map, instance_map, class_counts, instance_ids)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(imageId, tile.hash, tile.width, tile.height, tile.classMap, tile.instanceMap, JSON.stringify(tile.classCounts), Buffer.from(tile.instanceIds.buffer, tile.instanceIds.byteOffset, tile.instanceIds.byteLength));
    return Number(result.lastInsertRowid);
  }

  /** The whole maps of a version from its tiles (each distinct tile is decoded once). */
  assemble(imageId: number, grid: TileGrid, ids: Float64Array): { classMap: Uint8Array; instanceMap: Uint32Array } {
    const maps = { width: grid.width, height: grid.height, classMap: new Uint8Array(grid.width * grid.height), instanceMap: new Uint32Array(grid.width * grid.height) };
    for (const tile of this.tilesOf(imageId, grid, ids, true)) writeTile(maps, grid, tile);
    return { classMap: maps.classMap, instanceMap: maps.instanceMap };
  }

  /**
   * The tiles of a version; with `withEmpty` false, tiles that are all 0 (unlabelled, no object) are
   * left out. Uniform tiles come as one value per map.
   */
  tilesOf(imageId: number, grid: TileGrid, ids: Float64Array, withEmpty: boolean): LabelTile[] {
    const positions = new Map<number, number[]>();
    ids.forEach((id, k) => {
      const list = positions.get(id);
      if (list) list.push(k);
      else positions.set(id, [k]);
    });
    const get = this.db.prepare('SELECT id, hash, width, height, class_map, instance_map FROM annotation_tiles WHERE id = ? AND image_id = ?');
    const tiles: LabelTile[] = [];
    for (const [id, where] of positions) {
      const row = get.get(id, imageId) as TileRow | undefined;
      if (!row) throw new UnetError('CORRUPT', `stored annotation of image ${imageId} refers to a missing tile ${id}`);
      const uniform = uniformOfHash(row.hash);
      if (uniform && uniform.cls === 0 && uniform.instance === 0 && !withEmpty) continue;
      const pixels = uniform ? { classMap: Uint8Array.of(uniform.cls), instanceMap: Uint32Array.of(uniform.instance) } : decodeTile(row.class_map, row.instance_map, row.width, row.height);
      for (const k of where) {
        const tx = k % grid.across;
        const ty = (k - tx) / grid.across;
        const r = tileRect(grid, tx, ty);
        if (r.width !== row.width || r.height !== row.height) {
          throw new UnetError('CORRUPT', `stored annotation tile ${id} is ${row.width}x${row.height}; its place (${tx}, ${ty}) needs ${r.width}x${r.height}`);
        }
        tiles.push({ tx, ty, classMap: pixels.classMap, instanceMap: pixels.instanceMap });
      }
    }
    return tiles;
  }

  /**
   * The totals of a version with tile ids `ids`. When the base version (the one `baseIds` lists,
   * named by its content hash) was the last one counted, only the positions that differ are counted;
   * otherwise every tile is.
   */
  totals(ids: Float64Array, base: { contentHash: string; ids: Float64Array } | null): VersionTotals {
    const get = this.db.prepare('SELECT class_counts, instance_ids FROM annotation_tiles WHERE id = ?');
    const add = (totals: VersionTotals, id: number, sign: 1 | -1) => {
      const row = get.get(id) as { class_counts: string; instance_ids: Buffer } | undefined;
      if (!row) throw new UnetError('CORRUPT', `stored annotation refers to a missing tile ${id}`);
      for (const [cls, n] of Object.entries(JSON.parse(row.class_counts) as Record<string, number>)) totals.classCounts[Number(cls)] += sign * n;
      for (const object of idsOfBlob(row.instance_ids)) {
        const n = (totals.objects.get(object) ?? 0) + sign;
        if (n === 0) totals.objects.delete(object);
        else totals.objects.set(object, n);
      }
    };
    const cached = this.last;
    if (base && cached && cached.contentHash === base.contentHash && base.ids.length === ids.length) {
      // A copy: the transaction may still fail after this.
      const totals = { classCounts: cached.totals.classCounts.slice(), objects: new Map(cached.totals.objects) };
      for (let k = 0; k < ids.length; k++) {
        if (ids[k] === base.ids[k]) continue;
        add(totals, base.ids[k], -1);
        add(totals, ids[k], 1);
      }
      return totals;
    }
    const totals: VersionTotals = { classCounts: new Float64Array(256), objects: new Map() };
    for (const id of ids) add(totals, id, 1);
    return totals;
  }

  /** The totals of the version just written (by its content hash), for the next save. */
  remember(contentHash: string, totals: VersionTotals): void {
    this.last = { contentHash, totals };
  }
}
