import { DEFAULT_ELASTIC_SIGMA } from '../../../../src-shared/imaging/elastic-deformation';
import { unionRect, type LabelMaps, type PixelRect } from '../annotate/label-maps';
import { crop } from './incremental-weights';
import type { PreviewCrop } from './augment-crop';
import type { HeatView } from './weight-view';
import { createWeightMapWorker, WeightMapClient, type WeightsOutcome, type WorkerLike } from './weightmap-client';
import type { AugmentResult, ProbeResult } from './worker-protocol';

/** The heat map of w(x) for the part of the image in `view` (image size width x height). */
export interface HeatLayer {
  rgba: Uint8ClampedArray;
  view: HeatView;
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
  /** w(x) at the last pixel asked for with `probe` (null outside the maps). */
  probed = $state.raw<{ x: number; y: number; w: number | null } | null>(null);

  private client: WeightMapClient | null = null;
  private arrival: { at: number; latencyMs: number } | null = null;
  /** Changes not yet sent to the worker, and the maps they belong to. */
  private dirty: PixelRect = { x: 0, y: 0, width: 0, height: 0 };
  private sentMaps: LabelMaps | null = null;
  private probeAt: { x: number; y: number } | null = null;

  constructor(private readonly createWorker: () => WorkerLike = createWeightMapWorker) {}

  get valid(): boolean {
    return Number.isFinite(this.w0) && this.w0 >= 0 && Number.isFinite(this.sigma) && this.sigma > 0;
  }

  /** The maps changed inside `rect` (every stroke segment, undo, redo, reload). */
  invalidate(rect: PixelRect): void {
    this.dirty = unionRect(this.dirty, rect);
  }

  /**
   * Recomputes w(x) for the maps and draws it for `view` (the visible part of the image, at screen
   * resolution when zoomed out). Only what changed since the last request travels (cropped when the
   * request is sent, so changes made while the worker is busy are all included).
   */
  request(maps: LabelMaps, view: HeatView): void {
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
        view,
      };
    });
  }

  /** Asks for w(x) at an image pixel (the answer lands in `probed`; asked again after each update). */
  probe(x: number, y: number): void {
    this.probeAt = { x: Math.floor(x), y: Math.floor(y) };
    if (this.sentMaps) this.connect().probe(this.probeAt.x, this.probeAt.y);
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
    this.probed = null;
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
        onProbe: (r: ProbeResult) => (this.probed = { x: r.x, y: r.y, w: r.w }),
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
    this.heat = { rgba: result.rgba, view: result.view, width: result.width, height: result.height, min: result.min, max: result.max };
    if (this.probeAt) this.client?.probe(this.probeAt.x, this.probeAt.y);
  }
}
