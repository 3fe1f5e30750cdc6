import { UnetError } from '../../../src-shared/contract/errors';
import { BACKGROUND_CLASS, FIRST_OBJECT_CLASS } from '../../../src-shared/contract/records';
import { connectedComponents } from '../../../src-shared/imaging/connected-components';

export interface MaskImage {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

export interface MaskAnnotation {
  classMap: Uint8Array;
  instanceMap: Uint32Array;
  /** binary: {0,1} or {0,255}, objects from 4-connected components; instances: a label image. */
  kind: 'binary' | 'instances';
  instanceCount: number;
}

/**
 * Turns a ground-truth mask file into annotation maps. Every pixel becomes labelled: 0 -> background
 * (1), anything else -> object class 2. A binary mask gives one instance per 4-connected component;
 * any other integer mask is taken as an instance label image (its values kept as instance ids).
 * Multi-channel masks use their first channel.
 */
export function maskToAnnotation(mask: MaskImage): MaskAnnotation {
  const { width, height, channels, data } = mask;
  const pixels = width * height;
  if (data.length !== pixels * channels) {
    throw new UnetError('INVALID_ARGUMENT', `mask data has ${data.length} samples, expected ${pixels * channels}`);
  }
  const values = new Set<number>();
  const labels = new Uint32Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const v = data[i * channels];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new UnetError('UNSUPPORTED', `mask values must be non-negative integers (found ${v}); it cannot be read as labels`);
    }
    labels[i] = v;
    if (values.size <= 2) values.add(v);
  }
  const classMap = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) classMap[i] = labels[i] === 0 ? BACKGROUND_CLASS : FIRST_OBJECT_CLASS;
  const binary = values.size <= 2 && [...values].every((v) => v === 0 || v === 1 || v === 255) && !(values.has(1) && values.has(255));
  if (binary) {
    const components = connectedComponents(labels, width, height, 4);
    return { classMap, instanceMap: Uint32Array.from(components.labels), kind: 'binary', instanceCount: components.count };
  }
  const ids = new Set<number>();
  for (let i = 0; i < pixels; i++) if (labels[i] !== 0) ids.add(labels[i]);
  return { classMap, instanceMap: labels, kind: 'instances', instanceCount: ids.size };
}
