import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { extractMirroredTile } from '../../src-shared/imaging/mirror';
import { pixelIoU } from '../../src-shared/imaging/metrics/pixel-iou';
import { planTiles } from '../../src-shared/imaging/tile-geometry';
import type { PreparedSample } from './training-data';

export interface ValidationScore {
  /** Weighted cross-entropy over all labelled pixels (same normalisation as the training loss). */
  loss: number;
  /**
   * Foreground IoU (classes >= 2 against background) of each validation image, averaged: a large image
   * does not outweigh the others (pooling pixels let one 1024² image of an unusual kind decide).
   */
  iou: number;
}

/** Log-probabilities [out, out, K] (HWC) of one input tile [tile, tile, C] (HWC). */
export type TilePredictor = (tile: Float32Array, channels: number) => Promise<Float32Array>;

/** A tfjs layers model as a tile predictor. */
export function tfjsPredictor(model: tfl.LayersModel): TilePredictor {
  return async (tile, channels) => {
    const size = Math.round(Math.sqrt(tile.length / channels));
    const logProb = tf.tidy(() => tf.logSoftmax(model.apply(tf.tensor4d(tile, [1, size, size, channels]), { training: false }) as tf.Tensor4D, -1));
    try {
      return (await logProb.data()) as Float32Array;
    } finally {
      logProb.dispose();
    }
  };
}

/**
 * Segments every validation image with the overlap-tile strategy (mirrored borders, each pixel predicted
 * once) and scores it: the loss against the training target (with separation gaps and weights), the IoU
 * against the classes as painted. Predictions never pick class 0 ("unlabeled").
 */
export async function evaluate(predict: TilePredictor, samples: PreparedSample[], inputTile: number, depth: number, numClasses: number): Promise<ValidationScore> {
  let lossSum = 0;
  let weightSum = 0;
  const K = numClasses;
  const perImage: number[] = [];
  for (const s of samples) {
    const total = s.width * s.height;
    const predicted = new Uint8Array(total);
    const painted = new Uint8Array(total);
    const plan = planTiles(s.width, s.height, inputTile, depth);
    const out = plan.outputTile;
    const buffer = new Float32Array(inputTile * inputTile * s.channels);
    for (const tile of plan.tiles) {
      extractMirroredTile(s.image, s.width, s.height, s.channels, tile.inX, tile.inY, inputTile, inputTile, buffer);
      const lp = await predict(buffer, s.channels);
      for (let y = 0; y < tile.outH; y++) {
        for (let x = 0; x < tile.outW; x++) {
          const i = (tile.outY + y) * s.width + (tile.outX + x);
          const o = (y * out + x) * K;
          let best = 1;
          for (let c = 2; c < K; c++) if (lp[o + c] > lp[o + best]) best = c;
          predicted[i] = best;
          painted[i] = s.paintedClassMap[i];
          const truth = s.classMap[i];
          if (truth !== 0) {
            const w = s.weights[i];
            lossSum -= w * lp[o + truth];
            weightSum += w;
          }
        }
      }
    }
    const iou = pixelIoU(predicted, painted, total, 1).foreground;
    // An image with no foreground in truth or prediction scores 1 (nothing to find, nothing found).
    perImage.push(Number.isFinite(iou) ? iou : 1);
  }
  const iou = perImage.length > 0 ? perImage.reduce((a, b) => a + b, 0) / perImage.length : 0;
  return { loss: weightSum > 0 ? lossSum / weightSum : 0, iou: Number.isFinite(iou) ? iou : 0 };
}
