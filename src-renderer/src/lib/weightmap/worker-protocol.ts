/** Messages between the renderer and the weight-map worker. Every request carries an id echoed back. */
import type { WeightsUpdate } from './incremental-weights';
import type { HeatView } from './weight-view';

/**
 * The maps inside `region` (the whole image the first time, then what changed since the previous
 * request; empty when only the view moved); the worker keeps its own copy of the maps, updates the
 * weights where the edit reaches and colours the part of the image in `view`.
 */
export interface WeightsRequest extends WeightsUpdate {
  type: 'weights';
  id: number;
  view: HeatView;
}

export interface WeightsResult {
  type: 'weights';
  id: number;
  /** The image size. */
  width: number;
  height: number;
  /** What `rgba` shows: a region of the image at outWidth x outHeight pixels. */
  view: HeatView;
  /** Heat-map colours (RGBA), transparent where w = 0. */
  rgba: Uint8ClampedArray;
  /** Range of the non-zero w(x) over the whole image. */
  min: number;
  max: number;
  /** Time spent computing inside the worker. */
  computeMs: number;
}

/** w(x) at one image pixel (the status bar's readout). */
export interface ProbeRequest {
  type: 'probe';
  id: number;
  x: number;
  y: number;
}

export interface ProbeResult {
  type: 'probe';
  id: number;
  x: number;
  y: number;
  /** null outside the maps or before the first weights. */
  w: number | null;
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
  request: 'weights' | 'augment' | 'probe';
  message: string;
}

export type WorkerRequest = WeightsRequest | AugmentRequest | ProbeRequest;
export type WorkerResponse = WeightsResult | AugmentResult | ProbeResult | WorkerFailure;

/** Buffers to transfer (not copy) with a message. */
export function transferablesOf(message: WorkerRequest | WorkerResponse): Transferable[] {
  switch (message.type) {
    case 'weights':
      return 'rgba' in message ? [message.rgba.buffer] : [message.classCrop.buffer, message.instanceCrop.buffer];
    case 'augment':
      return 'samples' in message ? message.samples.flatMap((s) => [s.image.buffer, s.labels.buffer]) : [message.gray.buffer, message.classMap.buffer];
    default:
      return [];
  }
}
