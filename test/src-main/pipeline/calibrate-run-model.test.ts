import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { instancesFromForeground } from '../../../src-main/engine/inference/instance-postprocess';
import { openUnetRunner } from '../../../src-main/engine/inference/open-runner';
import { readMetadata } from '../../../src-main/engine/model-files';
import type { DecodedImage } from '../../../src-main/io/image-types';
import { exportBioimageio } from '../../../src-main/pipeline/bioimageio/export-bioimageio';
import { calibrateModelFolder, calibrationSamples, MAX_CALIBRATION_IMAGES, MAX_CALIBRATION_PIXELS, type CalibrationSample } from '../../../src-main/pipeline/calibrate-run-model';
import { instanceOptionsFor, segmentDecoded } from '../../../src-main/pipeline/segment-file';
import { estimateNoiseSigma } from '../../../src-shared/imaging/noise-level';
import { createRng } from '../../../src-shared/imaging/rng';
import { generateBlobImage } from '../../helpers/synthetic-blobs';
import { writeTinyModelFolder } from './tiny-model-folder';

let dir: string;
let modelDir: string;

/** Blob images with bright cells on a dark background, as the pipeline holds them (normalised, annotated). */
function samples(seeds: number[]): CalibrationSample[] {
  return seeds.map((seed) => {
    const b = generateBlobImage(seed, { width: 64, height: 64, count: 5, radius: 7, touching: true, noise: 0.05 });
    return { width: b.width, height: b.height, image: b.image, classMap: b.classMap, instanceMap: b.instanceMap };
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-calibrate-'));
  modelDir = path.join(dir, 'model');
  await writeTinyModelFolder(modelDir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the images a calibration is chosen on', () => {
  const image = (name: string, side = 64) => ({ name, width: side, height: side });
  const names = (list: { name: string }[]) => list.map((s) => s.name);

  it('takes the validation images first, then training images spread over the split', () => {
    const train = Array.from({ length: 40 }, (_, i) => image(`t${i}`));
    const chosen = calibrationSamples({ train, validation: [image('v0'), image('v1')] });
    expect(chosen.validation).toBe(2);
    expect(chosen.training).toBe(MAX_CALIBRATION_IMAGES - 2);
    expect(names(chosen.samples).slice(0, 3)).toEqual(['v0', 'v1', 't0']);
    // Spread: the last training image taken lies in the last tenth of the split.
    expect(Number(names(chosen.samples).at(-1)!.slice(1))).toBeGreaterThanOrEqual(36);
    expect(new Set(names(chosen.samples)).size).toBe(chosen.samples.length);
  });

  it('stops at the pixel budget, and takes every training image when there are few', () => {
    const side = Math.floor(Math.sqrt(MAX_CALIBRATION_PIXELS / 5));
    const large = calibrationSamples({ train: Array.from({ length: 10 }, (_, i) => image(`t${i}`, side)), validation: [image('v0', side)] });
    expect(large.samples.length).toBe(5);
    expect(large.samples.reduce((sum, s) => sum + s.width * s.height, 0)).toBeLessThanOrEqual(MAX_CALIBRATION_PIXELS);
    const few = calibrationSamples({ train: [image('t0'), image('t1'), image('t2')], validation: [image('v0')] });
    expect(names(few.samples)).toEqual(['v0', 't0', 't1', 't2']);
  });

  it('takes nothing without a validation image, and a single oversized validation image alone', () => {
    expect(calibrationSamples({ train: [image('t0')], validation: [] })).toEqual({ samples: [], validation: 0, training: 0 });
    const huge = Math.ceil(Math.sqrt(MAX_CALIBRATION_PIXELS)) + 1;
    const alone = calibrationSamples({ train: [image('t0')], validation: [image('v0', huge)] });
    expect(names(alone.samples)).toEqual(['v0']);
  });
});

describe('calibrating a model folder after training', () => {
  it('stores the chosen post-processing and the Otsu polarity in unet.json, and they round-trip', async () => {
    const before = await readMetadata(modelDir);
    expect(before.instancePostprocessing).toBeUndefined();
    const result = await calibrateModelFolder(modelDir, { train: samples([1, 2]), validation: samples([3, 4]) });
    expect(result.instances).not.toBeNull();
    // The 2 validation images, and the 2 training images beside them.
    expect(result.instances!.images).toBe(4);
    expect(result.instances!.trainingImages).toBe(2);
    expect(result.instances!.score).toBeGreaterThanOrEqual(result.instances!.defaultScore);
    // Bright cells on dark background: the annotations say foreground is bright.
    expect(result.baseline).toEqual({ method: 'otsu', sigma: 1, polarity: 'bright', rule: 'training annotations' });
    const after = await readMetadata(modelDir);
    expect(after.instancePostprocessing).toEqual(result.instances);
    expect(after.baseline).toEqual(result.baseline);
    // Everything else is as it was.
    expect(after.architecture).toEqual(before.architecture);
    expect(after.normalization).toEqual(before.normalization);
  });

  it('without validation images keeps plain components and says so', async () => {
    const other = path.join(dir, 'no-validation');
    await writeTinyModelFolder(other);
    const result = await calibrateModelFolder(other, { train: samples([1]), validation: [] });
    expect(result.instances).toBeNull();
    expect(result.notes.join(' ')).toMatch(/no validation images: .*model's default \(connected components\)/);
    expect((await readMetadata(other)).instancePostprocessing).toBeUndefined();
    const bordered = path.join(dir, 'no-validation-border');
    await writeTinyModelFolder(bordered, 3, { borderClass: true });
    const notes = (await calibrateModelFolder(bordered, { train: samples([1]), validation: [] })).notes.join(' ');
    expect(notes).toMatch(/model's default \(seeds p >= 0\.5, regrown to the nearest seed\)/);
  });

  it('segmentation uses the stored parameters by default, and explicit ones override them', async () => {
    const metadata = await readMetadata(modelDir);
    const stored = { threshold: 0.5, erosion: 2, growth: 'probability' as const, minSize: 3 };
    metadata.instancePostprocessing = { options: stored, metric: 'seg', images: 1, score: 0.5, defaultScore: 0.4, candidates: 10 };
    expect(instanceOptionsFor(metadata, {})).toEqual({ options: stored, calibrated: true });
    expect(instanceOptionsFor(metadata, { erosion: 1 })).toEqual({ options: { erosion: 1 }, calibrated: false });
    // Uncalibrated: plain components, or seeds from the interiors for a model with a border class.
    const uncalibrated = { ...metadata, instancePostprocessing: undefined };
    expect(instanceOptionsFor(uncalibrated, { connectivity: 8 })).toEqual({ options: { connectivity: 8 }, calibrated: false });
    expect(instanceOptionsFor({ ...uncalibrated, borderClass: 3 }, {})).toEqual({ options: { threshold: 0.5 }, calibrated: false });
    expect(instanceOptionsFor({ ...uncalibrated, borderClass: 3 }, { erosion: 0 })).toEqual({ options: { erosion: 0 }, calibrated: false });

    const opened = await openUnetRunner(modelDir);
    opened.metadata.instancePostprocessing = metadata.instancePostprocessing;
    try {
      const blob = generateBlobImage(9, { width: 60, height: 60, count: 4, radius: 7 });
      const image: DecodedImage = { width: 60, height: 60, channels: 1, frames: 1, dtype: 'float32', data: Float32Array.from(blob.image, (v) => v * 200), colorSpace: 'gray', alpha: false };
      const seg = await segmentDecoded(opened, image, { instances: {} });
      expect(seg.calibratedInstances).toBe(true);
      expect(seg.instanceOptions).toEqual(stored);
      // The labels are exactly what the stored parameters give on the model's own outputs.
      const mask = seg.classMap.map((c) => (c >= 2 ? 1 : 0));
      const expected = instancesFromForeground(mask, seg.foreground, 60, 60, stored);
      expect(seg.instanceCount).toBe(expected.count);
      expect(Array.from(seg.instances!)).toEqual(Array.from(expected.labels));
    } finally {
      await opened.runner.dispose();
    }
  });

  it('records the training images’ noise level, and segmentation smooths only a clearly noisier image down to it', async () => {
    const other = path.join(dir, 'noise');
    await writeTinyModelFolder(other);
    const train = samples([1, 2, 5]);
    const result = await calibrateModelFolder(other, { train, validation: samples([3]) });
    const levels = train.map((s) => estimateNoiseSigma(s.image, s.width, s.height)).sort((a, b) => a - b);
    expect(result.trainingNoise).toEqual({ sigma: levels[1], images: 3 });
    expect((await readMetadata(other)).trainingNoise).toEqual(result.trainingNoise);

    const opened = await openUnetRunner(other);
    try {
      const blob = generateBlobImage(9, { width: 60, height: 60, count: 4, radius: 7, noise: 0.05 });
      const rng = createRng(4);
      const scale = (data: ArrayLike<number>) => Float32Array.from(data, (v) => v * 200);
      const image = (data: Float32Array): DecodedImage => ({ width: 60, height: 60, channels: 1, frames: 1, dtype: 'float32', data, colorSpace: 'gray', alpha: false });
      const clean = await segmentDecoded(opened, image(scale(blob.image)));
      expect(clean.noiseSmoothing).toBeUndefined();
      const noisy = scale(blob.image.map((v) => v + 0.3 * rng.normal()));
      const smoothed = await segmentDecoded(opened, image(noisy));
      expect(smoothed.noiseSmoothing).toBeGreaterThan(0);
      expect((await segmentDecoded(opened, image(noisy), { matchNoise: false })).noiseSmoothing).toBeUndefined();
      // A model without a recorded level (older folders) segments as before.
      delete opened.metadata.trainingNoise;
      expect((await segmentDecoded(opened, image(noisy))).noiseSmoothing).toBeUndefined();
    } finally {
      await opened.runner.dispose();
    }
  });

  it('the bioimage.io export carries the calibrated parameters in its config', async () => {
    const zipFile = path.join(dir, 'package.zip');
    await exportBioimageio(modelDir, zipFile, { name: 'Calibrated U-Net' });
    const rdf = parse(strFromU8(unzipSync(readFileSync(zipFile))['rdf.yaml'])) as { config: Record<string, Record<string, unknown>> };
    const stored = (await readMetadata(modelDir)).instancePostprocessing;
    expect(rdf.config['unet-studio'].instancePostprocessing).toEqual(stored!.options);
    expect((rdf.config['unet-studio'].metadata as { instancePostprocessing: unknown }).instancePostprocessing).toEqual(stored);
  });
});
