import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { UnetError } from '../../src-shared/contract/errors';

/**
 * Whole maps, as versions written before annotations were stored as tiles (schema 4) hold them; new
 * versions are tiles (annotation-tile-codec.ts). Maps are raw DEFLATE (RFC 1951) streams, readable
 * by zlib, fflate or pako alike. Node's native zlib is used because it is several times faster than a
 * JavaScript deflate. A fast level suffices: the maps are mostly runs of equal values.
 */
const DEFLATE_LEVEL = 3;

export interface EncodedMaps {
  classMap: Uint8Array;
  instanceMap: Uint8Array;
  contentHash: string;
  labeledPixels: number;
  instanceCount: number;
  classCounts: Record<string, number>;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Compresses the two maps and computes what the history shows without decoding them. */
export function encodeMaps(classMap: Uint8Array, instanceMap: Uint32Array): EncodedMaps {
  const classBytes = bytesOf(classMap);
  const instanceBytes = bytesOf(instanceMap);
  const counts = new Float64Array(256);
  for (let i = 0; i < classMap.length; i++) counts[classMap[i]]++;
  const classCounts: Record<string, number> = {};
  for (let v = 1; v < 256; v++) if (counts[v] > 0) classCounts[v] = counts[v];
  const instances = new Set<number>();
  for (let i = 0; i < instanceMap.length; i++) if (instanceMap[i] !== 0) instances.add(instanceMap[i]);
  const hash = createHash('sha256').update(classBytes).update(instanceBytes).digest('hex');
  return {
    classMap: deflateRawSync(classBytes, { level: DEFLATE_LEVEL }),
    instanceMap: deflateRawSync(instanceBytes, { level: DEFLATE_LEVEL }),
    contentHash: hash,
    labeledPixels: classMap.length - counts[0],
    instanceCount: instances.size,
    classCounts,
  };
}

/** Inflates stored maps, checking their sizes: a mismatch means the row is damaged. */
export function decodeMaps(classBlob: Uint8Array, instanceBlob: Uint8Array, width: number, height: number): { classMap: Uint8Array; instanceMap: Uint32Array } {
  const pixels = width * height;
  let classBytes: Uint8Array;
  let instanceBytes: Uint8Array;
  try {
    // Bounded output: a damaged stream cannot inflate into more memory than the maps need.
    classBytes = new Uint8Array(inflateRawSync(classBlob, { maxOutputLength: pixels + 1 }));
    instanceBytes = inflateRawSync(instanceBlob, { maxOutputLength: pixels * 4 + 1 });
  } catch (error) {
    throw new UnetError('CORRUPT', `stored annotation cannot be decompressed: ${(error as Error).message}`);
  }
  if (classBytes.length !== pixels || instanceBytes.length !== pixels * 4) {
    throw new UnetError('CORRUPT', `stored annotation has the wrong size (${classBytes.length}, ${instanceBytes.length} bytes for ${width}x${height})`);
  }
  // Copy the instance bytes into an aligned buffer of their own before viewing them as Uint32.
  const instanceMap = new Uint32Array(pixels);
  new Uint8Array(instanceMap.buffer).set(instanceBytes);
  return { classMap: classBytes, instanceMap };
}
