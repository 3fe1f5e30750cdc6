import { buildUnetOnnxModel } from '../../../../src-main/engine/onnx/unet-onnx-graph';
import { encodeOnnxModel } from '../../../../src-main/engine/onnx/onnx-writer';
import { randomUnetWeights } from '../../../../src-main/engine/onnx/random-weights';
import { createOrtRunner, type OrtRunner } from '../../../../src-main/engine/inference/ort-runner';
import type { UNetArchitecture } from '../../../../src-main/engine/unet-architecture';
import { createRng } from '../../../../src-shared/imaging/rng';

/** A small random-weight U-Net as ONNX bytes, for engine tests that need a real network but no training. */
export function tinyUnetOnnx(arch: UNetArchitecture, seed = 1): Uint8Array {
  return encodeOnnxModel(buildUnetOnnxModel(arch, randomUnetWeights(arch, seed)));
}

export async function tinyOrtRunner(arch: UNetArchitecture, seed = 1): Promise<OrtRunner> {
  return createOrtRunner(tinyUnetOnnx(arch, seed), arch, { provider: 'cpu', threads: 2 });
}

/** A normalised image of soft blobs plus noise (HWC), closer to microscopy than white noise. */
export function blobImage(width: number, height: number, channels: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const blobs = Array.from({ length: 6 }, () => ({ x: rng.uniform(0, width), y: rng.uniform(0, height), r: rng.uniform(4, 14) }));
  const data = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = -0.8;
      for (const b of blobs) v += 1.6 * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = v * (1 - 0.3 * c) + rng.normal() * 0.1;
    }
  }
  return data;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
