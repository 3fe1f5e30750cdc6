/** Messages between the renderer and the weight-map worker. Every request carries an id echoed back. */
import type { WeightsUpdate } from './incremental-weights';

/**
 * The maps inside `region` (the whole image the first time, then what changed since the previous
 * request); the worker keeps its own copy of the maps and updates the weights incrementally.
 */
export interface WeightsRequest extends WeightsUpdate {
  type: 'weights';
  id: number;
}

export interface WeightsResult {
  type: 'weights';
  id: number;
  width: number;
  height: number;
  /** w(x) per pixel. */
  weights: Float32Array;
  /** Heat-map colours (RGBA), transparent where w = 0. */
  rgba: Uint8ClampedArray;
  min: number;
  max: number;
  /** Time spent computing inside the worker. */
  computeMs: number;
}

export interface AugmentRequest {
  type: 'augment';
  id: number;
  width: number;
  height: number;
  /** Display grey levels 0..255 of the crop. */
  gray: Float32Array;
  classMap: Uint8Array;
  /** RGBA per class value (256 x 4). */
  colors: Uint8Array;
  seed: number;
  count: number;
  /** Standard deviation of the grid displacements, pixels (paper: 10). */
  sigma: number;
}

export interface AugmentSampleImage {
  image: Uint8ClampedArray;
  labels: Uint8ClampedArray;
}

export interface AugmentResult {
  type: 'augment';
  id: number;
  width: number;
  height: number;
  samples: AugmentSampleImage[];
  computeMs: number;
}

export interface WorkerFailure {
  type: 'error';
  id: number;
  request: 'weights' | 'augment';
  message: string;
}

export type WorkerRequest = WeightsRequest | AugmentRequest;
export type WorkerResponse = WeightsResult | AugmentResult | WorkerFailure;

/** Buffers to transfer (not copy) with a message. */
export function transferablesOf(message: WorkerRequest | WorkerResponse): Transferable[] {
  switch (message.type) {
    case 'weights':
      return 'weights' in message ? [message.weights.buffer, message.rgba.buffer] : [message.classCrop.buffer, message.instanceCrop.buffer];
    case 'augment':
      return 'samples' in message ? message.samples.flatMap((s) => [s.image.buffer, s.labels.buffer]) : [message.gray.buffer, message.classMap.buffer];
    default:
      return [];
  }
}
