import { DEFAULT_ELASTIC_SIGMA } from '../../../../src-shared/imaging/elastic-deformation';
import { unionRect, type LabelMaps, type PixelRect } from '../annotate/label-maps';
import { crop } from './incremental-weights';
import type { PreviewCrop } from './augment-crop';
import { createWeightMapWorker, WeightMapClient, type WeightsOutcome, type WorkerLike } from './weightmap-client';
import type { AugmentResult } from './worker-protocol';

export interface HeatLayer {
  rgba: Uint8ClampedArray;
  weights: Float32Array;
  width: number;
  height: number;
  min: number;
  max: number;
}

/**
 * The loss weight map preview (w0, sigma, heat layer with its range) and the augmentation preview,
 * both computed in a worker. Times: `computeMs` inside the worker, `latencyMs` from the request (the
 * end of a stroke) to the heat map drawn on screen.
 */
export class WeightMapPreview {
  enabled = $state(false);
  w0 = $state(10);
  sigma = $state(5);
  opacity = $state(0.7);
  heat = $state.raw<HeatLayer | null>(null);
  computeMs = $state<number | undefined>();
  latencyMs = $state<number | undefined>();
  error = $state<string | undefined>();
  augment = $state.raw<AugmentResult | null>(null);
  augmentSeed = $state(1);
  augmentSigma = $state(DEFAULT_ELASTIC_SIGMA);

  private client: WeightMapClient | null = null;
  private arrival: { at: number; latencyMs: number } | null = null;
  /** Changes not yet sent to the worker, and the maps they belong to. */
  private dirty: PixelRect = { x: 0, y: 0, width: 0, height: 0 };
  private sentMaps: LabelMaps | null = null;

  constructor(private readonly createWorker: () => WorkerLike = createWeightMapWorker) {}

  get valid(): boolean {
    return Number.isFinite(this.w0) && this.w0 >= 0 && Number.isFinite(this.sigma) && this.sigma > 0;
  }

  /** The maps changed inside `rect` (every stroke segment, undo, redo, reload). */
  invalidate(rect: PixelRect): void {
    this.dirty = unionRect(this.dirty, rect);
  }

  /**
   * Recomputes w(x) for the maps. Only what changed since the last request travels (cropped when the
   * request is sent, so changes made while the worker is busy are all included).
   */
  request(maps: LabelMaps): void {
    if (!this.valid) {
      this.error = 'w0 must be ≥ 0 and sigma > 0';
      return;
    }
    const { w0, sigma } = this;
    this.connect().weights(() => {
      const whole = { x: 0, y: 0, width: maps.width, height: maps.height };
      const region = this.sentMaps === maps ? this.dirty : whole;
      this.sentMaps = maps;
      this.dirty = { x: 0, y: 0, width: 0, height: 0 };
      return {
        width: maps.width,
        height: maps.height,
        region,
        classCrop: crop(maps.classMap, maps.width, region, Uint8Array),
        instanceCrop: crop(maps.instanceMap, maps.width, region, Uint32Array),
        w0,
        sigma,
      };
    });
  }

  requestAugment(crop: PreviewCrop, colors: Uint8Array, count = 4): void {
    this.connect().augment({
      width: crop.width,
      height: crop.height,
      gray: crop.gray,
      classMap: crop.classMap,
      colors: colors.slice(),
      seed: this.augmentSeed,
      count,
      sigma: this.augmentSigma,
    });
  }

  /** The canvas drew the latest heat map at time `at` (performance.now()). */
  shown(at: number): void {
    if (!this.arrival) return;
    this.latencyMs = this.arrival.latencyMs + Math.max(0, at - this.arrival.at);
    this.arrival = null;
  }

  clear(): void {
    this.heat = null;
    this.augment = null;
  }

  dispose(): void {
    this.client?.dispose();
    this.client = null;
    this.sentMaps = null;
  }

  private connect(): WeightMapClient {
    if (!this.client) {
      this.client = new WeightMapClient(this.createWorker(), {
        onWeights: (r) => this.receive(r),
        onAugment: (r) => (this.augment = r),
        onError: (_kind, message) => {
          this.error = message;
          // The worker's copy of the maps may be incomplete: send everything next time.
          this.sentMaps = null;
        },
      });
    }
    return this.client;
  }

  private receive(result: WeightsOutcome): void {
    this.error = undefined;
    this.computeMs = result.computeMs;
    this.arrival = { at: performance.now(), latencyMs: result.latencyMs };
    this.heat = { rgba: result.rgba, weights: result.weights, width: result.width, height: result.height, min: result.min, max: result.max };
  }
}
