import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageMetadata } from '../../../src-main/io/read-image';
import { writeMaskOutput, writeWorkspacePrediction } from '../../../src-main/pipeline/prediction-files';
import type { SegmentedImage } from '../../../src-main/pipeline/segment-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-pred-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function segmented(pixelSize?: SegmentedImage['pixelSize']): SegmentedImage {
  const n = 8 * 6;
  return {
    width: 8,
    height: 6,
    numClasses: 3,
    classMap: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1)),
    foreground: new Float32Array(n).fill(0.25),
    instances: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 + (i % 2) : 0)),
    instanceCount: 2,
    tiles: 1,
    inputTile: 92,
    runner: 'test',
    ...(pixelSize ? { pixelSize } : {}),
  };
}

describe('prediction files carry the input\'s calibration', () => {
  it('writes masks, instance labels and probabilities with the input pixel size in µm', async () => {
    const seg = segmented({ x: 0.65, y: 0.65, unit: 'µm' });
    const cli = await writeMaskOutput(path.join(dir, 'cli'), '/data/cell.tif', seg, { instances: false, probabilities: true });
    const inst = await writeMaskOutput(path.join(dir, 'cli-instances'), '/data/cell.tif', seg, { instances: true, probabilities: false });
    const ws = await writeWorkspacePrediction(path.join(dir, 'ws'), 'cell.tif', seg);
    for (const file of [cli.maskPath, cli.probabilityPath!, inst.maskPath, ws.labelsPath, ws.instancesPath!, ws.probabilitiesPath!]) {
      expect((await readImageMetadata(file)).pixelSize, file).toEqual({ x: expect.closeTo(0.65, 6), y: expect.closeTo(0.65, 6), unit: 'µm' });
    }
  });

  it('writes no calibration when the input had none or one in another unit', async () => {
    for (const [name, size] of [['none', undefined], ['inch', { x: 1, y: 1, unit: 'inch' }]] as const) {
      const out = await writeMaskOutput(path.join(dir, name), '/data/cell.tif', segmented(size), { instances: false, probabilities: false });
      expect((await readImageMetadata(out.maskPath)).pixelSize).toBeUndefined();
    }
  });
});
