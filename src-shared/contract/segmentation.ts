import { z } from 'zod';
import { defineService, method } from './define';
import type { Polarity } from '../imaging/otsu';
import type { JobOf } from './jobs';

export const segmentOptionsSchema = z.object({
  /** Input tile edge; the engine picks a legal size near it (default: the model's training tile). */
  tile: z.number().int().min(16).max(4096).optional(),
  /**
   * Test-time augmentation: mean softmax over the 8 flips and rotations. On by default: it raised SEG on
   * DIC-HeLa and V_rand on ISBI 2012 by 0.03-0.09 at 12 minutes, for 8x the inference time (docs/benchmarks.md).
   */
  tta: z.boolean().default(true),
  /** Split touching objects: probability threshold and erosion before connected components. */
  instances: z.boolean().default(true),
  threshold: z.number().min(0).max(1).optional(),
  erosion: z.number().int().min(0).max(20).optional(),
  /** Score predictions against the latest annotations where an image has any. */
  evaluate: z.boolean().default(true),
});
export type SegmentOptions = z.input<typeof segmentOptionsSchema>;

export interface PredictionView {
  runId: number;
  imageId: number;
  width: number;
  height: number;
  /** Predicted class per pixel (1 = background, 2.. = classes). */
  classMap: Uint8Array;
  /** Foreground probability per pixel, 0..1. */
  probability: Float32Array;
  /** Object labels (0 = none). */
  instances?: Uint32Array;
}

/**
 * The metrics recorded per image and printed by `unet-studio evaluate`, with the names they are stored
 * under: foreground IoU, CTC SEG, ISBI V_rand / V_info / Rand error / pixel error / warping error, AP@0.5.
 */
export const REPORTED_METRICS = ['iou', 'seg', 'vRand', 'vInfo', 'randError', 'pixelError', 'warpingError', 'ap50'] as const;
export type ReportedMetric = (typeof REPORTED_METRICS)[number];

/** How the Otsu baseline was computed, as stored with its scores and printed in reports. */
export interface BaselineSettings {
  sigma: number;
  polarity: Polarity | 'per image';
  rule: 'training annotations' | 'minority' | 'given';
}

/** Live data of a segmentation job: images done of the total, and the runner that predicts. */
export interface SegmentationProgress {
  done: number;
  total: number;
  runner: string;
}

/** What a segmentation job returns when it ends normally. */
export interface SegmentationOutcome {
  runId: number;
  predicted: number;
  evaluated: number;
  /** Mean of each metric over the evaluated images. */
  mean: Record<ReportedMetric, number | null>;
  /** The Otsu baseline's mean of each metric over the same images, and how it was computed. */
  baseline: { mean: Record<ReportedMetric, number | null>; settings: BaselineSettings } | null;
  /**
   * The instance post-processing used, in words too ("seeds p >= 0.5, regrown to the nearest seed"), and
   * whether it was the one calibrated with the model.
   */
  instances: { options: Record<string, unknown>; description: string; calibrated: boolean } | null;
  failures: { imageId: number; error: string }[];
}

export const segmentationService = defineService({
  methods: {
    /** Segments images with a run's best model (tiled, optional TTA) and records predictions and metrics. */
    start: method(
      z.object({
        runId: z.number().int().positive(),
        imageIds: z.array(z.number().int().positive()).min(1).max(100_000),
        options: segmentOptionsSchema.default({ tta: true, instances: true, evaluate: true }),
      }),
    ).returns<{ job: JobOf<'segmentation'> }>(),
    /** The stored prediction of one image by one run, for the overlay. */
    prediction: method(z.object({ runId: z.number().int().positive(), imageId: z.number().int().positive() })).returns<PredictionView>(),
    /**
     * A run's prediction of a data set image on demand: the stored one, else computed now (overlap-tile,
     * the run's calibrated objects) and stored, so that the next call finds it.
     */
    predict: method(z.object({ runId: z.number().int().positive(), imageId: z.number().int().positive() })).returns<PredictionView>(),
    /**
     * Predicts, as a background job, the images of the run's data set that have no annotation and no
     * prediction by this run yet (first in name order, at most `limit`); job null when there is none.
     */
    refreshUnannotated: method(z.object({ runId: z.number().int().positive(), limit: z.number().int().min(1).max(10_000).default(500) })).returns<{
      job: JobOf<'segmentation'> | null;
      images: number;
    }>(),
  },
  events: {},
});
