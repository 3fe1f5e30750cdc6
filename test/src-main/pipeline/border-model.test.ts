import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUnetRunner } from '../../../src-main/engine/inference/open-runner';
import { readMetadata } from '../../../src-main/engine/model-files';
import { calibrateModelFolder, type CalibrationSample } from '../../../src-main/pipeline/calibrate-run-model';
import { maskFromClassMap } from '../../../src-main/pipeline/prediction-files';
import { segmentModelInput } from '../../../src-main/pipeline/segment-file';
import { generateBlobImage } from '../../helpers/synthetic-blobs';
import { writeTinyModelFolder } from './tiny-model-folder';

let dir: string;

function samples(seeds: number[]): CalibrationSample[] {
  return seeds.map((seed) => {
    const b = generateBlobImage(seed, { width: 64, height: 64, count: 5, radius: 7, touching: true, noise: 0.05 });
    return { width: b.width, height: b.height, image: b.image, classMap: b.classMap, instanceMap: b.instanceMap };
  });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-border-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a model with a border class, in the app\'s segmentation path', () => {
  it('segments into the data\'s classes only, so masks stay binary', async () => {
    const modelDir = path.join(dir, 'segment');
    await writeTinyModelFolder(modelDir, 3, { borderClass: true });
    const opened = await openUnetRunner(modelDir);
    try {
      const [s] = samples([5]);
      const result = await segmentModelInput(opened, s.width, s.height, s.image, { instances: { threshold: 0.5 } });
      expect(opened.runner.numClasses).toBe(4);
      expect(result.numClasses).toBe(3);
      expect(result.classMap.every((c) => c === 1 || c === 2)).toBe(true);
      const mask = maskFromClassMap(result.classMap, result.numClasses);
      expect(mask.every((v) => v === 0 || v === 255)).toBe(true);
    } finally {
      await opened.runner.dispose();
    }
  });

  it('calibrates over seeds from even odds too, and records the choice', async () => {
    const plainDir = path.join(dir, 'plain');
    const borderDir = path.join(dir, 'border');
    await writeTinyModelFolder(plainDir);
    await writeTinyModelFolder(borderDir, 3, { borderClass: true });
    const data = { train: samples([1]), validation: samples([2]) };
    const plain = await calibrateModelFolder(plainDir, data);
    const border = await calibrateModelFolder(borderDir, data);
    expect(border.instances!.candidates).toBeGreaterThan(plain.instances!.candidates);
    const metadata = await readMetadata(borderDir);
    expect(metadata.instancePostprocessing).toEqual(border.instances);
    expect(metadata.borderClass).toBe(3);
  });
});
