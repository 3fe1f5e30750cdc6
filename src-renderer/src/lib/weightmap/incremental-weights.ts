import { UnetError } from '../../../../src-shared/contract/errors';
import { balancedClassWeights, borderCutoffDistance, borderWeightTerm } from '../../../../src-shared/imaging/weight-map';
import type { PixelRect } from '../annotate/label-maps';

export interface WeightsResultData {
  weights: Float32Array;
  /** Range of the non-zero weights (0, 0 when all are 0). */
  min: number;
  max: number;
}

export interface WeightsUpdate {
  width: number;
  height: number;
  /** Where the maps changed since the last update; the crops below cover exactly this rectangle. */
  region: PixelRect;
  classCrop: Uint8Array;
  instanceCrop: Uint32Array;
  w0: number;
  sigma: number;
}

/**
 * The paper's weight map kept up to date edit by edit. The border term at a pixel depends only on
 * objects within the cutoff distance c (beyond it the term is below 1e-6 w0 and set to 0), so after
 * an edit inside R only pixels within c of R can change, and they see only objects within 2c of R:
 * the term is recomputed on R grown by 2c and copied back for R grown by c. The result equals the
 * full `weightMap` exactly; the class weights (global counts) are redone on every update, cheaply.
 */
export class IncrementalWeightMap {
  private width = 0;
  private height = 0;
  private classMap: Uint8Array = new Uint8Array(0);
  private instanceMap: Uint32Array = new Uint32Array(0);
  private border: Float32Array = new Float32Array(0);
  private params = { w0: NaN, sigma: NaN };
  /** Pixels per class value, kept up to date with the patches (the balanced class weights need them). */
  private counts = new Float64Array(256);

  /** Applies the update and returns w(x) for the whole image (a new array) with its range over w > 0. */
  update(u: WeightsUpdate): WeightsResultData {
    this.apply(u);
    const { width, height } = this;
    const wc = this.classWeights();
    const weights = new Float32Array(width * height);
    const { border, classMap } = this;
    let min = Infinity;
    let max = -Infinity;
    // One fused pass: a 4096x4096 map is 16 M pixels.
    for (let i = 0; i < weights.length; i++) {
      // The range of the stored (32-bit) values.
      const w = Math.fround(border[i] + wc[classMap[i]]);
      weights[i] = w;
      if (w !== 0) {
        if (w < min) min = w;
        if (w > max) max = w;
      }
    }
    return min <= max ? { weights, min, max } : { weights, min: 0, max: 0 };
  }

  /**
   * Applies the update to the maps and the border term without forming w(x): returns the rectangle
   * where the class map or the border term may have changed (the whole image after a full update).
   */
  apply(u: WeightsUpdate): PixelRect {
    const { width, height, region } = u;
    const full = region.x === 0 && region.y === 0 && region.width === width && region.height === height;
    if (!full && (width !== this.width || height !== this.height)) {
      throw new UnetError('INVALID_ARGUMENT', 'the weight map needs the whole annotation before a partial update');
    }
    if (u.classCrop.length !== region.width * region.height || u.instanceCrop.length !== region.width * region.height) {
      throw new UnetError('INVALID_ARGUMENT', 'the label crops do not match their region');
    }
    if (full) {
      this.width = width;
      this.height = height;
      // Taken over, not copied (the worker's request owns them): 320 MB at 8192².
      this.classMap = u.classCrop;
      this.instanceMap = u.instanceCrop;
      this.counts.fill(0);
      for (let i = 0; i < this.classMap.length; i++) this.counts[this.classMap[i]]++;
    } else {
      countRegion(this.counts, this.classMap, width, region, -1);
      paste(this.classMap, width, u.classCrop, region);
      countRegion(this.counts, this.classMap, width, region, 1);
      paste(this.instanceMap, width, u.instanceCrop, region);
    }
    const paramsChanged = u.w0 !== this.params.w0 || u.sigma !== this.params.sigma;
    this.params = { w0: u.w0, sigma: u.sigma };
    const whole = { x: 0, y: 0, width, height };
    if (full || paramsChanged || this.border.length !== width * height) {
      this.border = borderWeightTerm(this.classMap, this.instanceMap, width, height, this.params);
      return whole;
    }
    if (region.width > 0 && region.height > 0) return this.updateBorder(region);
    return { x: 0, y: 0, width: 0, height: 0 };
  }

  /** w_c per class value for the maps as they are now. */
  classWeights(): Float64Array {
    return balancedClassWeights(this.counts);
  }

  /** w(x) at one pixel (null outside the maps). */
  weightAt(x: number, y: number, classWeights = this.classWeights()): number | null {
    if (!(x >= 0 && y >= 0 && x < this.width && y < this.height) || this.border.length !== this.width * this.height) return null;
    const i = Math.floor(y) * this.width + Math.floor(x);
    return Math.fround(this.border[i] + classWeights[this.classMap[i]]);
  }

  /** What w(x) is made of, as held now (not copies): read, never write. */
  get state(): { width: number; height: number; classMap: Uint8Array; border: Float32Array; counts: Float64Array } {
    return { width: this.width, height: this.height, classMap: this.classMap, border: this.border, counts: this.counts };
  }

  /** Recomputes the border term near an edit; returns the rectangle it rewrote. */
  private updateBorder(region: PixelRect): PixelRect {
    const { width, height } = this;
    const margin = Math.ceil(borderCutoffDistance(this.params.sigma)) + 1;
    const context = grow(region, 2 * margin, width, height);
    const target = grow(region, margin, width, height);
    const cls = crop(this.classMap, width, context, Uint8Array);
    const inst = crop(this.instanceMap, width, context, Uint32Array);
    const local = borderWeightTerm(cls, inst, context.width, context.height, this.params);
    for (let y = target.y; y < target.y + target.height; y++) {
      const src = (y - context.y) * context.width + (target.x - context.x);
      this.border.set(local.subarray(src, src + target.width), y * width + target.x);
    }
    return target;
  }
}

function countRegion(counts: Float64Array, classMap: Uint8Array, width: number, r: PixelRect, sign: number): void {
  for (let y = r.y; y < r.y + r.height; y++) {
    const row = y * width;
    for (let x = r.x; x < r.x + r.width; x++) counts[classMap[row + x]] += sign;
  }
}

function grow(r: PixelRect, m: number, width: number, height: number): PixelRect {
  const x = Math.max(0, r.x - m);
  const y = Math.max(0, r.y - m);
  return { x, y, width: Math.min(width, r.x + r.width + m) - x, height: Math.min(height, r.y + r.height + m) - y };
}

/** Copies rectangle r of a width-wide map into a new array. */
export function crop<T extends Uint8Array | Uint32Array>(map: T, width: number, r: PixelRect, ctor: new (n: number) => T): T {
  const out = new ctor(r.width * r.height);
  for (let y = 0; y < r.height; y++) {
    const start = (r.y + y) * width + r.x;
    out.set(map.subarray(start, start + r.width), y * r.width);
  }
  return out;
}

function paste<T extends Uint8Array | Uint32Array>(map: T, width: number, patch: T, r: PixelRect): void {
  for (let y = 0; y < r.height; y++) map.set(patch.subarray(y * r.width, (y + 1) * r.width), (r.y + y) * width + r.x);
}
