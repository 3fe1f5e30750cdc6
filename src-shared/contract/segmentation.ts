import { z } from 'zod';
import { defineService, method } from './define';
import type { JobInfo } from './jobs';

export const segmentOptionsSchema = z.object({
  /** Input tile edge; the engine picks a legal size near it (default: the model's training tile). */
  tile: z.number().int().min(16).max(4096).optional(),
  /** Test-time augmentation: mean softmax over the 8 flips and rotations. */
  tta: z.boolean().default(false),
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

export const segmentationService = defineService({
  methods: {
    /** Segments images with a run's best model (tiled, optional TTA) and records predictions and metrics. */
    start: method(
      z.object({
        runId: z.number().int().positive(),
        imageIds: z.array(z.number().int().positive()).min(1).max(100_000),
        options: segmentOptionsSchema.default({ tta: false, instances: true, evaluate: true }),
      }),
    ).returns<{ job: JobInfo }>(),
    /** The stored prediction of one image by one run, for the overlay. */
    prediction: method(z.object({ runId: z.number().int().positive(), imageId: z.number().int().positive() })).returns<PredictionView>(),
  },
  events: {},
});
