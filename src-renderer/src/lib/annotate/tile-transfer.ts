import type { AnnotationSaveResult, AnnotationTiles } from '../../../../src-shared/contract/records';
import { readTile, tileBytes, tileGrid, writeTile, type LabelTile, type TileGrid } from '../../../../src-shared/imaging/label-tiles';
import { MAX_TILES_PER_CALL } from '../../../../src-shared/contract/annotations';
import { MAX_WS_MESSAGE_BYTES } from '../../../../src-shared/transport/limits';
import { createLabelMaps, type LabelMaps } from './label-maps';

/**
 * Most tile bytes one save call carries: an eighth of what browser mode accepts in one message, so a
 * save never closes the connection, and a huge edit (a fill of a whole 16k² image) goes in parts.
 */
export const MAX_SAVE_CALL_BYTES = MAX_WS_MESSAGE_BYTES / 8;

/** What a tile adds to a message besides its arrays (its JSON and two array headers), rounded up. */
export const TILE_MESSAGE_OVERHEAD_BYTES = 256;

/** The label maps of a loaded annotation (tiles not sent are all 0). */
export function mapsFromTiles(annotation: AnnotationTiles): LabelMaps {
  const maps = createLabelMaps(annotation.width, annotation.height);
  const grid = tileGrid(annotation.width, annotation.height, annotation.tileSize);
  for (const tile of annotation.tiles) writeTile(maps, grid, tile);
  return maps;
}

/** Copies of the tiles at these grid indices (uniform ones as one value per map). */
export function tilesAt(maps: LabelMaps, grid: TileGrid, indices: readonly number[]): LabelTile[] {
  return [...indices].sort((a, b) => a - b).map((k) => readTile(maps, grid, k % grid.across, Math.floor(k / grid.across)));
}

/** The tiles cut into calls of at most `maxBytes` each, framing included (a tile is never split). */
export function saveBatches(tiles: LabelTile[], maxBytes = MAX_SAVE_CALL_BYTES): LabelTile[][] {
  const batches: LabelTile[][] = [];
  let current: LabelTile[] = [];
  let bytes = 0;
  for (const tile of tiles) {
    const size = tileBytes(tile) + TILE_MESSAGE_OVERHEAD_BYTES;
    if (current.length > 0 && (bytes + size > maxBytes || current.length === MAX_TILES_PER_CALL)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(tile);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The first `sent` tiles of a save went through (as version `saved.version`) before a later call failed. */
export class PartialSaveError extends Error {
  constructor(
    readonly saved: AnnotationSaveResult,
    readonly sent: number,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'PartialSaveError';
  }
}

/**
 * Saves the tiles in calls of at most `maxBytes`, each on top of the version the previous one made;
 * returns the last result. When a later call fails, throws PartialSaveError with what was saved.
 */
export async function saveInBatches(
  tiles: LabelTile[],
  baseVersion: number,
  save: (tiles: LabelTile[], baseVersion: number) => Promise<AnnotationSaveResult>,
  maxBytes = MAX_SAVE_CALL_BYTES,
): Promise<AnnotationSaveResult> {
  let result: AnnotationSaveResult | null = null;
  let sent = 0;
  for (const batch of saveBatches(tiles, maxBytes)) {
    try {
      result = await save(batch, result?.version ?? baseVersion);
    } catch (error) {
      if (result) throw new PartialSaveError(result, sent, error);
      throw error;
    }
    sent += batch.length;
  }
  if (!result) throw new Error('nothing to save');
  return result;
}
