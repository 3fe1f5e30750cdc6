import { tileGrid, type TileGrid } from '../../../../src-shared/imaging/label-tiles';

/**
 * The tiles of the label maps changed since the last save began: what the next save sends. Marking
 * is O(1) per pixel; taking the list is O(tiles marked), whatever the image size.
 */
export class DirtyTiles {
  readonly grid: TileGrid;
  private readonly flags: Uint8Array;
  private marked: number[] = [];

  constructor(width: number, height: number) {
    this.grid = tileGrid(width, height);
    this.flags = new Uint8Array(this.grid.across * this.grid.down);
  }

  get count(): number {
    return this.marked.length;
  }

  /** Marks the tiles of the pixels at these indices (y * width + x). */
  markPixels(indices: ArrayLike<number>): void {
    const { width, size, across } = this.grid;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      const y = Math.floor(i / width);
      this.markTile(Math.floor(y / size) * across + Math.floor((i - y * width) / size));
    }
  }

  markTile(index: number): void {
    if (this.flags[index]) return;
    this.flags[index] = 1;
    this.marked.push(index);
  }

  /** The marked tiles (grid index y * across + x), unmarking them. */
  take(): number[] {
    const taken = this.marked;
    this.marked = [];
    for (const k of taken) this.flags[k] = 0;
    return taken;
  }

  /** Marks tiles again (a save that did not go through). */
  restore(indices: readonly number[]): void {
    for (const k of indices) this.markTile(k);
  }
}
