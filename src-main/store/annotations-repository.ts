import { createHash } from 'node:crypto';
import { UnetError } from '../../src-shared/contract/errors';
import type { AnnotationData, AnnotationSaveResult, AnnotationSource, AnnotationTiles, AnnotationVersionInfo } from '../../src-shared/contract/records';
import { LABEL_TILE_SIZE, readTile, tileGrid, tileProblem, tileRect, type LabelTile, type TileGrid } from '../../src-shared/imaging/label-tiles';
import { decodeMaps } from './annotation-codec';
import { encodeTile, tileIdsOfBlob, tileIdsToBlob, type EncodedTile } from './annotation-tile-codec';
import { AnnotationTileStore } from './annotation-tile-store';
import { nowIso } from './clock';
import type { Db } from './database';

/** A decoded annotation version with its row id (what runs and evaluations reference). */
export interface StoredAnnotation extends AnnotationData {
  id: number;
}

interface VersionMeta {
  /** The version the maps were edited from (0 = none): a newer latest version is a CONFLICT. Omit to skip the check. */
  baseVersion?: number;
  source?: AnnotationSource;
  author?: string;
  message?: string;
  restoredFrom?: number | null;
  /** The run whose prediction the maps are (source 'prediction'). */
  predictionRunId?: number | null;
}

export interface AnnotationInput extends VersionMeta {
  classMap: Uint8Array;
  instanceMap: Uint32Array;
}

/** The tiles an edit changed; every other tile stays as in the latest version. */
export interface AnnotationTilesInput extends VersionMeta {
  tiles: LabelTile[];
}

interface VersionRow {
  id: number;
  image_id: number;
  version: number;
  width: number;
  height: number;
  labeled_pixels: number;
  instance_count: number;
  class_counts: string;
  source: AnnotationSource;
  author: string;
  message: string;
  restored_from: number | null;
  prediction_run_id: number | null;
  created_at: string;
  content_hash: string;
}

interface MapsRow extends VersionRow {
  class_map: Buffer;
  instance_map: Buffer;
  /** NULL for versions stored whole (before tiles). */
  tile_size: number | null;
  tile_ids: Buffer | null;
}

const INFO_COLUMNS = 'id, image_id, version, width, height, labeled_pixels, instance_count, class_counts, source, author, message, restored_from, prediction_run_id, created_at, content_hash';
const MAPS_COLUMNS = `${INFO_COLUMNS}, class_map, instance_map, tile_size, tile_ids`;

function toInfo(row: VersionRow): AnnotationVersionInfo {
  return {
    id: row.id,
    imageId: row.image_id,
    version: row.version,
    width: row.width,
    height: row.height,
    labeledPixels: row.labeled_pixels,
    instanceCount: row.instance_count,
    classCounts: JSON.parse(row.class_counts) as Record<string, number>,
    source: row.source,
    author: row.author,
    message: row.message,
    restoredFrom: row.restored_from,
    predictionRunId: row.prediction_run_id,
    createdAt: row.created_at,
  };
}

function gridOf(row: Pick<MapsRow, 'width' | 'height' | 'tile_size'>): TileGrid {
  return tileGrid(row.width, row.height, row.tile_size ?? LABEL_TILE_SIZE);
}

/** A version's tile ids, or null for one stored whole. */
function tileIdsOf(row: MapsRow): Float64Array | null {
  if (row.tile_size === null || row.tile_ids === null) return null;
  const grid = gridOf(row);
  return tileIdsOfBlob(row.tile_ids, grid.across * grid.down);
}

/** Tiles of a save, compressed before its transaction. */
interface PreparedTiles {
  grid: TileGrid;
  /** Encoded tiles by grid index (y * across + x). */
  byIndex: Map<number, EncodedTile>;
}

/**
 * Versioned annotations: every save adds a row, nothing is overwritten. Versions are stored as tiles
 * (`annotation-tiles` migration): a save writes the tiles whose content the image does not have yet,
 * so an edit costs what it changed. Versions from before are read as they were stored.
 */
export class AnnotationsRepository {
  private readonly tiles: AnnotationTileStore;

  constructor(private readonly db: Db) {
    this.tiles = new AnnotationTileStore(db);
  }

  /** The newest version of an image's annotation, or null when there is none. */
  latest(imageId: number): StoredAnnotation | null {
    const row = this.latestRow(imageId);
    return row ? this.toStored(row) : null;
  }

  version(imageId: number, version: number): StoredAnnotation {
    return this.toStored(this.versionRow(imageId, version));
  }

  /** A version by its row id, as referenced by runs and evaluations. */
  byId(versionId: number): StoredAnnotation {
    const row = this.db.prepare(`SELECT ${MAPS_COLUMNS} FROM annotation_versions WHERE id = ?`).get(versionId) as MapsRow | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `no annotation version with id ${versionId}`, { annotationVersionId: versionId });
    return this.toStored(row);
  }

  /**
   * The latest version (or the one asked for) as the tiles that hold labels; version 0 with no tiles
   * when nothing was saved. What the Annotate view loads: an image with little painted sends little.
   */
  labelTiles(imageId: number, width: number, height: number, version?: number): AnnotationTiles {
    const row = version === undefined ? this.latestRow(imageId) : this.versionRow(imageId, version);
    const grid = row ? gridOf(row) : tileGrid(width, height);
    const base = { imageId, width: grid.width, height: grid.height, tileSize: grid.size };
    if (!row) return { ...base, version: 0, tiles: [], createdAt: null, author: null, source: null };
    const ids = tileIdsOf(row);
    let tiles: LabelTile[];
    if (ids) tiles = this.tiles.tilesOf(imageId, grid, ids, false);
    else {
      const maps = { width: row.width, height: row.height, ...decodeMaps(row.class_map, row.instance_map, row.width, row.height) };
      tiles = [];
      for (let ty = 0; ty < grid.down; ty++) {
        for (let tx = 0; tx < grid.across; tx++) {
          const tile = readTile(maps, grid, tx, ty);
          if (tile.classMap.length > 1 || tile.classMap[0] !== 0 || tile.instanceMap[0] !== 0) tiles.push(tile);
        }
      }
    }
    return { ...base, version: row.version, tiles, createdAt: row.created_at, author: row.author, source: row.source };
  }

  latestVersion(imageId: number): number {
    const row = this.db.prepare('SELECT max(version) AS v FROM annotation_versions WHERE image_id = ?').get(imageId) as { v: number | null };
    return row.v ?? 0;
  }

  history(imageId: number): AnnotationVersionInfo[] {
    return (this.db.prepare(`SELECT ${INFO_COLUMNS} FROM annotation_versions WHERE image_id = ? ORDER BY version DESC`).all(imageId) as VersionRow[]).map(toInfo);
  }

  /**
   * Saves the maps as a new version in one transaction; when this returns, the version is committed
   * (and, with synchronous=FULL, on disk). Maps equal to the latest version add nothing.
   */
  save(imageId: number, input: AnnotationInput): AnnotationSaveResult {
    const image = this.image(imageId);
    const pixels = image.width * image.height;
    if (!(input.classMap instanceof Uint8Array) || input.classMap.length !== pixels) {
      throw new UnetError('INVALID_ARGUMENT', `classMap must be a Uint8Array of ${image.width}x${image.height} = ${pixels} values`);
    }
    if (!(input.instanceMap instanceof Uint32Array) || input.instanceMap.length !== pixels) {
      throw new UnetError('INVALID_ARGUMENT', `instanceMap must be a Uint32Array of ${image.width}x${image.height} = ${pixels} values`);
    }
    const grid = tileGrid(image.width, image.height);
    const maps = { width: image.width, height: image.height, classMap: input.classMap, instanceMap: input.instanceMap };
    const tiles: LabelTile[] = [];
    for (let ty = 0; ty < grid.down; ty++) for (let tx = 0; tx < grid.across; tx++) tiles.push(readTile(maps, grid, tx, ty));
    return this.write(imageId, image, this.prepare(grid, tiles), input);
  }

  /**
   * Saves an edit as the tiles it changed on top of the latest version (which must be `baseVersion`
   * when given): a new version in one transaction, as `save`, at the cost of those tiles.
   */
  saveTiles(imageId: number, input: AnnotationTilesInput): AnnotationSaveResult {
    const image = this.image(imageId);
    const grid = tileGrid(image.width, image.height);
    for (const tile of input.tiles) {
      const problem = tileProblem(grid, tile);
      if (problem) throw new UnetError('INVALID_ARGUMENT', `${problem} of image ${imageId} (${image.width}x${image.height})`);
    }
    return this.write(imageId, image, this.prepare(grid, input.tiles), input);
  }

  /** Makes an old version the newest again, as a new version (history is never rewritten). */
  restore(imageId: number, version: number, options: { baseVersion?: number; author?: string } = {}): AnnotationSaveResult {
    const old = this.version(imageId, version);
    return this.save(imageId, {
      classMap: old.classMap,
      instanceMap: old.instanceMap,
      baseVersion: options.baseVersion,
      source: 'restore',
      author: options.author,
      message: `restored version ${version}`,
      restoredFrom: version,
    });
  }

  private latestRow(imageId: number): MapsRow | undefined {
    return this.db.prepare(`SELECT ${MAPS_COLUMNS} FROM annotation_versions WHERE image_id = ? ORDER BY version DESC LIMIT 1`).get(imageId) as MapsRow | undefined;
  }

  private versionRow(imageId: number, version: number): MapsRow {
    const row = this.db.prepare(`SELECT ${MAPS_COLUMNS} FROM annotation_versions WHERE image_id = ? AND version = ?`).get(imageId, version) as MapsRow | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `image ${imageId} has no annotation version ${version}`, { imageId, version });
    return row;
  }

  private toStored(row: MapsRow): StoredAnnotation {
    const ids = tileIdsOf(row);
    const maps = ids ? this.tiles.assemble(row.image_id, gridOf(row), ids) : decodeMaps(row.class_map, row.instance_map, row.width, row.height);
    return {
      id: row.id,
      imageId: row.image_id,
      version: row.version,
      width: row.width,
      height: row.height,
      classMap: maps.classMap,
      instanceMap: maps.instanceMap,
      createdAt: row.created_at,
      author: row.author,
      source: row.source,
      predictionRunId: row.prediction_run_id,
    };
  }

  private image(imageId: number): { width: number; height: number; dataset_id: number } {
    const image = this.db.prepare('SELECT width, height, dataset_id FROM images WHERE id = ?').get(imageId) as { width: number; height: number; dataset_id: number } | undefined;
    if (!image) throw new UnetError('NOT_FOUND', `no image with id ${imageId}`, { imageId });
    return image;
  }

  /** Compresses the tiles outside the write transaction, so that the lock is held only for the inserts. */
  private prepare(grid: TileGrid, tiles: LabelTile[]): PreparedTiles {
    const byIndex = new Map<number, EncodedTile>();
    // Equal uniform tiles (an empty image) are compressed once.
    const uniform = new Map<string, EncodedTile>();
    for (const tile of tiles) {
      const r = tileRect(grid, tile.tx, tile.ty);
      const key = tile.classMap.length === 1 ? `${tile.classMap[0]}:${tile.instanceMap[0]}:${r.width}x${r.height}` : '';
      let encoded = key ? uniform.get(key) : undefined;
      if (!encoded) {
        encoded = encodeTile(tile, r.width, r.height);
        if (key) uniform.set(key, encoded);
      }
      byIndex.set(tile.ty * grid.across + tile.tx, encoded);
    }
    return { grid, byIndex };
  }

  private write(imageId: number, image: { dataset_id: number }, prepared: PreparedTiles, input: VersionMeta): AnnotationSaveResult {
    const { grid, byIndex } = prepared;
    return this.db.transaction((): AnnotationSaveResult => {
      const latest = this.latestRow(imageId);
      const latestVersion = latest?.version ?? 0;
      if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) {
        throw new UnetError('CONFLICT', `annotation of image ${imageId} changed since version ${input.baseVersion} (now version ${latestVersion})`, {
          imageId,
          baseVersion: input.baseVersion,
          latestVersion,
        });
      }
      const base = this.baseTileIds(imageId, grid, latest, byIndex);
      const ids = Float64Array.from(base);
      for (const [k, tile] of byIndex) ids[k] = this.tiles.idFor(imageId, tile);
      if (latest && ids.every((id, k) => id === base[k])) {
        return { imageId, version: latest.version, createdAt: latest.created_at, unchanged: true };
      }
      // Counting reuses the latest version's totals when they are known (the version saved last).
      const tiledBase = latest && latest.tile_ids !== null && latest.tile_size === grid.size ? { contentHash: latest.content_hash, ids: base } : null;
      const totals = this.tiles.totals(ids, tiledBase);
      const classCounts: Record<string, number> = {};
      let labeledPixels = 0;
      for (let v = 1; v < 256; v++) {
        if (totals.classCounts[v] === 0) continue;
        classCounts[v] = totals.classCounts[v];
        labeledPixels += totals.classCounts[v];
      }
      this.checkClasses(image.dataset_id, classCounts);
      const idBlob = tileIdsToBlob(ids);
      // Tile rows are unique per content within an image, so their ids name the content.
      const contentHash = createHash('sha256').update(`tiles:${grid.size}:`).update(idBlob).digest('hex');
      const createdAt = nowIso();
      const version = latestVersion + 1;
      this.db
        .prepare(
          `INSERT INTO annotation_versions (image_id, version, width, height, class_map, instance_map, content_hash, labeled_pixels,
                                            instance_count, class_counts, source, author, message, restored_from, prediction_run_id, created_at, tile_size, tile_ids)
           VALUES (?, ?, ?, ?, x'', x'', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          imageId,
          version,
          grid.width,
          grid.height,
          contentHash,
          labeledPixels,
          totals.objects.size,
          JSON.stringify(classCounts),
          input.source ?? 'paint',
          input.author ?? '',
          input.message ?? '',
          input.restoredFrom ?? null,
          input.source === 'prediction' ? (input.predictionRunId ?? null) : null,
          createdAt,
          grid.size,
          idBlob,
        );
      this.tiles.remember(contentHash, totals);
      return { imageId, version, createdAt, unchanged: false };
    }).immediate();
  }

  /**
   * The tile ids the new version starts from: the latest version's; for a version stored whole, its
   * tiles (stored now); with none, empty tiles. Positions the save replaces are left at 0.
   */
  private baseTileIds(imageId: number, grid: TileGrid, latest: MapsRow | undefined, replaced: Map<number, EncodedTile>): Float64Array {
    const count = grid.across * grid.down;
    if (latest) {
      const ids = tileIdsOf(latest);
      if (ids && latest.tile_size === grid.size && latest.width === grid.width && latest.height === grid.height) return ids;
    }
    const ids = new Float64Array(count);
    const maps = latest ? { width: latest.width, height: latest.height, ...decodeMaps(latest.class_map, latest.instance_map, latest.width, latest.height) } : null;
    const uniform = new Map<string, number>();
    for (let k = 0; k < count; k++) {
      // Full saves replace every tile, so a version stored whole is decoded only for a partial save.
      if (replaced.has(k) && !latest) continue;
      const tx = k % grid.across;
      const ty = (k - tx) / grid.across;
      const r = tileRect(grid, tx, ty);
      if (!maps) {
        const key = `${r.width}x${r.height}`;
        let id = uniform.get(key);
        if (id === undefined) uniform.set(key, (id = this.tiles.idFor(imageId, encodeTile({ tx, ty, classMap: Uint8Array.of(0), instanceMap: Uint32Array.of(0) }, r.width, r.height))));
        ids[k] = id;
      } else {
        ids[k] = this.tiles.idFor(imageId, encodeTile(readTile(maps, grid, tx, ty), r.width, r.height));
      }
    }
    return ids;
  }

  /** Painted class values must be in the data set's palette (0 = unlabelled is always allowed). */
  private checkClasses(datasetId: number, classCounts: Record<string, number>): void {
    const palette = new Set((this.db.prepare('SELECT value FROM dataset_classes WHERE dataset_id = ?').all(datasetId) as { value: number }[]).map((r) => r.value));
    const unknown = Object.keys(classCounts).map(Number).filter((v) => !palette.has(v));
    if (unknown.length > 0) {
      throw new UnetError('INVALID_ARGUMENT', `class value(s) ${unknown.join(', ')} are not in the data set's palette`, { unknownClasses: unknown });
    }
  }
}
