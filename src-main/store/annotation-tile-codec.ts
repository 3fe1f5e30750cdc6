import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { UnetError } from '../../src-shared/contract/errors';
import { isUniformTile, type LabelTile } from '../../src-shared/imaging/label-tiles';

/** As for whole maps (annotation-codec): a fast level, the maps are mostly runs of equal values. */
const DEFLATE_LEVEL = 3;

/** A tile ready to be stored: its content name, compressed pixels and what the history counts. */
export interface EncodedTile {
  hash: string;
  width: number;
  height: number;
  classMap: Uint8Array;
  instanceMap: Uint8Array;
  /** Pixels per class value (unlabelled included, so a version's totals can be summed). */
  classCounts: Record<string, number>;
  /** Distinct non-zero instance ids, ascending. */
  instanceIds: Uint32Array;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The content name of a tile of one class and instance everywhere (no pixels need hashing). */
export function uniformTileHash(cls: number, instance: number, width: number, height: number): string {
  return `u:${cls}:${instance}:${width}x${height}`;
}

/** The class and instance of a uniform tile's hash, or null for a painted tile. */
export function uniformOfHash(hash: string): { cls: number; instance: number } | null {
  const m = /^u:(\d+):(\d+):/.exec(hash);
  return m ? { cls: Number(m[1]), instance: Number(m[2]) } : null;
}

/** Compresses one tile of width x height pixels (a uniform tile carries one value per map). */
export function encodeTile(tile: LabelTile, width: number, height: number): EncodedTile {
  const pixels = width * height;
  let classMap = tile.classMap;
  let instanceMap = tile.instanceMap;
  let uniform = isUniformTile(tile);
  if (!uniform && isConstant(classMap) && isConstant(instanceMap)) {
    uniform = true;
    classMap = classMap.subarray(0, 1);
    instanceMap = instanceMap.subarray(0, 1);
  }
  if (uniform) {
    const cls = classMap[0];
    const instance = instanceMap[0];
    const counts: Record<string, number> = { [cls]: pixels };
    return {
      hash: uniformTileHash(cls, instance, width, height),
      width,
      height,
      classMap: deflateRawSync(new Uint8Array(pixels).fill(cls), { level: DEFLATE_LEVEL }),
      instanceMap: deflateRawSync(bytesOf(new Uint32Array(pixels).fill(instance)), { level: DEFLATE_LEVEL }),
      classCounts: counts,
      instanceIds: instance === 0 ? new Uint32Array(0) : Uint32Array.of(instance),
    };
  }
  const counts = new Float64Array(256);
  for (let i = 0; i < classMap.length; i++) counts[classMap[i]]++;
  const classCounts: Record<string, number> = {};
  for (let v = 0; v < 256; v++) if (counts[v] > 0) classCounts[v] = counts[v];
  const ids = new Set<number>();
  for (let i = 0; i < instanceMap.length; i++) if (instanceMap[i] !== 0) ids.add(instanceMap[i]);
  const classBytes = bytesOf(classMap);
  const instanceBytes = bytesOf(instanceMap);
  return {
    hash: createHash('sha256').update(`${width}x${height}:`).update(classBytes).update(instanceBytes).digest('hex'),
    width,
    height,
    classMap: deflateRawSync(classBytes, { level: DEFLATE_LEVEL }),
    instanceMap: deflateRawSync(instanceBytes, { level: DEFLATE_LEVEL }),
    classCounts,
    instanceIds: Uint32Array.from([...ids].sort((a, b) => a - b)),
  };
}

/** Inflates a stored tile, checking its sizes: a mismatch means the row is damaged. */
export function decodeTile(classBlob: Uint8Array, instanceBlob: Uint8Array, width: number, height: number): { classMap: Uint8Array<ArrayBuffer>; instanceMap: Uint32Array<ArrayBuffer> } {
  const pixels = width * height;
  let classBytes: Uint8Array<ArrayBuffer>;
  let instanceBytes: Uint8Array;
  try {
    classBytes = new Uint8Array(inflateRawSync(classBlob, { maxOutputLength: pixels + 1 }));
    instanceBytes = inflateRawSync(instanceBlob, { maxOutputLength: pixels * 4 + 1 });
  } catch (error) {
    throw new UnetError('CORRUPT', `stored annotation tile cannot be decompressed: ${(error as Error).message}`);
  }
  if (classBytes.length !== pixels || instanceBytes.length !== pixels * 4) {
    throw new UnetError('CORRUPT', `stored annotation tile has the wrong size (${classBytes.length}, ${instanceBytes.length} bytes for ${width}x${height})`);
  }
  const instanceMap = new Uint32Array(pixels);
  new Uint8Array(instanceMap.buffer).set(instanceBytes);
  return { classMap: classBytes, instanceMap };
}

/** Ids stored as little-endian Uint32 bytes, back as numbers. */
export function idsOfBlob(blob: Uint8Array): Uint32Array {
  const ids = new Uint32Array(blob.byteLength >>> 2);
  new Uint8Array(ids.buffer).set(blob.subarray(0, ids.length * 4));
  return ids;
}

/** A version's tile row ids (row-major over the grid) as the stored blob, and back. */
export function tileIdsToBlob(ids: ArrayLike<number>): Buffer {
  const values = Float64Array.from(ids);
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function tileIdsOfBlob(blob: Uint8Array, count: number): Float64Array {
  if (blob.byteLength !== count * 8) throw new UnetError('CORRUPT', `stored annotation lists ${blob.byteLength / 8} tiles; its grid has ${count}`);
  const ids = new Float64Array(count);
  new Uint8Array(ids.buffer).set(blob);
  return ids;
}

function isConstant(values: Uint8Array | Uint32Array): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}
