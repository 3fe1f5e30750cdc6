import { boundsOfIndices, type LabelMaps, type PixelRect } from './label-maps';

/** Side of the square blocks of "seen" stamps, allocated only where strokes go. */
const STAMP_BLOCK = 128;
/** Blocks of stamps kept between strokes (64 MiB); beyond, a stroke's blocks are let go after it. */
const MAX_KEPT_STAMP_BLOCKS = 1024;

/**
 * What one stroke changed: the pixel indices with their class and instance values before and after.
 * Undo and redo replay these instead of keeping copies of the maps.
 */
export interface StrokeDiff {
  indices: Uint32Array;
  oldClass: Uint8Array;
  newClass: Uint8Array;
  oldInstance: Uint32Array;
  newInstance: Uint32Array;
  /** Bounding box of the changed pixels, to redraw only that part. */
  bounds: PixelRect;
}

/** Bytes held by a diff, for the undo stack's memory bound. */
export function diffBytes(diff: StrokeDiff): number {
  return diff.indices.byteLength + diff.oldClass.byteLength * 2 + diff.oldInstance.byteLength * 2;
}

/** Writes the diff's old (undo) or new (redo) values into the maps. */
export function applyDiff(maps: LabelMaps, diff: StrokeDiff, direction: 'undo' | 'redo'): void {
  const cls = direction === 'undo' ? diff.oldClass : diff.newClass;
  const inst = direction === 'undo' ? diff.oldInstance : diff.newInstance;
  const { classMap, instanceMap } = maps;
  for (let k = 0; k < diff.indices.length; k++) {
    const i = diff.indices[k];
    classMap[i] = cls[k];
    instanceMap[i] = inst[k];
  }
}

/**
 * Records a stroke while it is painted: the first time a pixel changes, its old values are kept; at the
 * end the new values are read back. A generation stamp per pixel makes "seen in this stroke" O(1)
 * without clearing a mask between strokes; stamps live in blocks allocated where painting happens, so
 * the recorder of a 64-megapixel image costs what was painted, not 4 bytes per pixel.
 */
export class StrokeRecorder {
  private stamps: (Uint32Array | undefined)[];
  private stampBlocks = 0;
  private readonly blocksAcross: number;
  private generation = 0;
  // Growable typed buffers: a fill of a 4096x4096 region records 16 M pixels.
  private count = 0;
  private indices = new Uint32Array(1024);
  private oldClass = new Uint8Array(1024);
  private oldInstance = new Uint32Array(1024);

  constructor(private readonly maps: LabelMaps) {
    this.blocksAcross = Math.ceil(maps.width / STAMP_BLOCK);
    this.stamps = new Array(this.blocksAcross * Math.ceil(maps.height / STAMP_BLOCK));
  }

  begin(): void {
    this.generation++;
    if (this.generation === 0xffffffff) {
      for (const block of this.stamps) block?.fill(0);
      this.generation = 1;
    }
    this.count = 0;
  }

  /** Sets pixel i to (cls, instance); returns true when it changed. */
  paint(i: number, cls: number, instance: number): boolean {
    const { classMap, instanceMap } = this.maps;
    if (classMap[i] === cls && instanceMap[i] === instance) return false;
    const y = Math.floor(i / this.maps.width);
    const x = i - y * this.maps.width;
    const b = Math.floor(y / STAMP_BLOCK) * this.blocksAcross + Math.floor(x / STAMP_BLOCK);
    let block = this.stamps[b];
    if (!block) {
      block = this.stamps[b] = new Uint32Array(STAMP_BLOCK * STAMP_BLOCK);
      this.stampBlocks++;
    }
    const s = (y % STAMP_BLOCK) * STAMP_BLOCK + (x % STAMP_BLOCK);
    if (block[s] !== this.generation) {
      block[s] = this.generation;
      if (this.count === this.indices.length) this.grow();
      this.indices[this.count] = i;
      this.oldClass[this.count] = classMap[i];
      this.oldInstance[this.count] = instanceMap[i];
      this.count++;
    }
    classMap[i] = cls;
    instanceMap[i] = instance;
    return true;
  }

  /** The diff of the stroke, or null when nothing ended up different. */
  end(): StrokeDiff | null {
    const { classMap, instanceMap, width } = this.maps;
    // A pixel painted and then painted back is no change.
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const i = this.indices[k];
      if (classMap[i] !== this.oldClass[k] || instanceMap[i] !== this.oldInstance[k]) {
        this.indices[n] = i;
        this.oldClass[n] = this.oldClass[k];
        this.oldInstance[n] = this.oldInstance[k];
        n++;
      }
    }
    this.count = 0;
    if (n === 0) return null;
    const indices = this.indices.slice(0, n);
    const newClass = new Uint8Array(n);
    const newInstance = new Uint32Array(n);
    for (let j = 0; j < n; j++) {
      newClass[j] = classMap[indices[j]];
      newInstance[j] = instanceMap[indices[j]];
    }
    const diff: StrokeDiff = {
      indices,
      oldClass: this.oldClass.slice(0, n),
      newClass,
      oldInstance: this.oldInstance.slice(0, n),
      newInstance,
      bounds: boundsOfIndices(indices, width),
    };
    // Let a huge stroke's buffers go instead of holding them for the next one.
    if (this.indices.length > 1 << 20) this.reset();
    if (this.stampBlocks > MAX_KEPT_STAMP_BLOCKS) {
      this.stamps = new Array(this.stamps.length);
      this.stampBlocks = 0;
    }
    return diff;
  }

  private grow(): void {
    const size = this.indices.length * 2;
    const indices = new Uint32Array(size);
    indices.set(this.indices);
    const oldClass = new Uint8Array(size);
    oldClass.set(this.oldClass);
    const oldInstance = new Uint32Array(size);
    oldInstance.set(this.oldInstance);
    this.indices = indices;
    this.oldClass = oldClass;
    this.oldInstance = oldInstance;
  }

  private reset(): void {
    this.indices = new Uint32Array(1024);
    this.oldClass = new Uint8Array(1024);
    this.oldInstance = new Uint32Array(1024);
  }
}
