import { describe, expect, it, vi } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import type { AnnotationSaveResult } from '../../../src-shared/contract/records';
import { tileGrid, type LabelTile } from '../../../src-shared/imaging/label-tiles';
import { encodeMessage } from '../../../src-shared/transport/codec';
import { MAX_WS_MESSAGE_BYTES } from '../../../src-shared/transport/limits';
import { createLabelMaps } from '../../../src-renderer/src/lib/annotate/label-maps';
import { mapsFromTiles, MAX_SAVE_CALL_BYTES, PartialSaveError, saveBatches, saveInBatches, TILE_MESSAGE_OVERHEAD_BYTES, tilesAt } from '../../../src-renderer/src/lib/annotate/tile-transfer';

function painted(tx: number, bytesPerMap = 256 * 256): LabelTile {
  return { tx, ty: 0, classMap: new Uint8Array(bytesPerMap).fill(2), instanceMap: new Uint32Array(bytesPerMap) };
}

const ok = (version: number): AnnotationSaveResult => ({ imageId: 1, version, createdAt: '', unchanged: false });

describe('tile transfer', () => {
  it('copies the marked tiles out of the maps and back', () => {
    const maps = createLabelMaps(600, 300);
    maps.classMap[299 * 600 + 599] = 2;
    maps.instanceMap[299 * 600 + 599] = 5;
    maps.classMap.fill(1, 0, 10);
    const grid = tileGrid(600, 300);
    const tiles = tilesAt(maps, grid, [5, 0, 2]);
    expect(tiles.map((t) => [t.tx, t.ty, t.classMap.length])).toEqual([
      [0, 0, 256 * 256],
      [2, 0, 1],
      [2, 1, 88 * 44],
    ]);
    const back = mapsFromTiles({ imageId: 1, version: 1, width: 600, height: 300, tileSize: 256, tiles, createdAt: null, author: null, source: null });
    expect(Buffer.from(back.classMap).equals(Buffer.from(maps.classMap))).toBe(true);
    expect(back.instanceMap[299 * 600 + 599]).toBe(5);
  });

  it('cuts a save into calls of bounded size, never splitting a tile', () => {
    const tiles = [painted(0), painted(1), painted(2), painted(3)];
    const perTile = 5 * 256 * 256 + TILE_MESSAGE_OVERHEAD_BYTES;
    expect(saveBatches(tiles, 2 * perTile).map((b) => b.map((t) => t.tx))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(saveBatches(tiles, perTile - 1)).toHaveLength(4);
    expect(saveBatches([])).toEqual([]);
  });

  it('keeps every save call under the browser-mode message limit', () => {
    // The framing adds a JSON header and 8 bytes per array to the raw tile bytes.
    const batch = [painted(0), painted(1), painted(2)];
    const message = encodeMessage({ type: 'call', id: 1, method: 'annotations.saveTiles', input: { imageId: 1, baseVersion: 3, tiles: batch } });
    const raw = batch.reduce((n, t) => n + t.classMap.byteLength + t.instanceMap.byteLength, 0);
    expect((message.byteLength - raw) / batch.length).toBeLessThan(TILE_MESSAGE_OVERHEAD_BYTES);
    // Batches count that overhead, so a call is at most MAX_SAVE_CALL_BYTES (plus one tile, when a single tile is larger).
    expect(MAX_SAVE_CALL_BYTES + 5 * 256 * 256 + TILE_MESSAGE_OVERHEAD_BYTES).toBeLessThan(MAX_WS_MESSAGE_BYTES);
    const uniform = Array.from({ length: 1000 }, (_, tx) => ({ tx, ty: 0, classMap: Uint8Array.of(1), instanceMap: Uint32Array.of(0) }));
    expect(saveBatches(uniform, 100 * (5 + TILE_MESSAGE_OVERHEAD_BYTES))).toHaveLength(10);
  });

  it('saves calls one on top of the other and reports what went through when a later one fails', async () => {
    const save = vi.fn(async (_tiles: LabelTile[], base: number) => ok(base + 1));
    const perTile = 5 * 256 * 256 + TILE_MESSAGE_OVERHEAD_BYTES;
    expect(await saveInBatches([painted(0), painted(1), painted(2)], 4, save, perTile)).toEqual(ok(7));
    expect(save.mock.calls.map((c) => c[1])).toEqual([4, 5, 6]);
    save.mockClear();
    save.mockResolvedValueOnce(ok(8)).mockRejectedValueOnce(new UnetError('IO_ERROR', 'lost'));
    const failure = await saveInBatches([painted(0), painted(1), painted(2)], 7, save, 2 * perTile).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PartialSaveError);
    expect(failure).toMatchObject({ saved: ok(8), sent: 2, message: 'lost' });
    save.mockRejectedValueOnce(new UnetError('CONFLICT', 'changed'));
    await expect(saveInBatches([painted(0)], 7, save)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
