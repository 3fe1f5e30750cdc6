import { describe, expect, it } from 'vitest';
import { inlineBatchSource, workerBatchSource, type BatchGeometry } from '../../../src-main/engine/batch-source';
import { prepareSample, regionMargin } from '../../../src-main/engine/training-data';
import { createAffineField, DEFAULT_AUGMENT_OPTIONS, DEFAULT_INTENSITY_OPTIONS } from '../../../src-shared/imaging/augmentation';
import { blobSample } from './trainer-data';

const samples = [1, 2].map((s) => prepareSample(blobSample(s, 120), { w0: 10, sigma: 5, separationGap: 2 }));
const geometry: BatchGeometry = { batchSize: 2, tile: 92, outputTile: 52, numClasses: 3, inChannels: 1, seed: 4, augmentation: { ...DEFAULT_AUGMENT_OPTIONS } };

describe('training tiles on a worker thread', () => {
  it('are the tiles inline sampling draws, step for step, also after a resume at another step', async () => {
    const inline = inlineBatchSource(samples, geometry);
    const worker = await workerBatchSource(samples, geometry);
    expect(worker.mode).toBe('worker');
    try {
      for (const step of [1, 2, 3, 4]) {
        const a = await inline.take(step);
        const b = await worker.take(step);
        expect(Array.from(b.input)).toEqual(Array.from(a.input));
        expect(Array.from(b.target)).toEqual(Array.from(a.target));
        expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
      }
      // A different step draws different tiles.
      const five = Array.from((await inline.take(5)).input);
      const six = Array.from((await inline.take(6)).input);
      expect(six).not.toEqual(five);
      const resumed = await workerBatchSource(samples, geometry);
      expect(Array.from((await resumed.take(6)).input)).toEqual(six);
      await resumed.dispose();
    } finally {
      await worker.dispose();
    }
  });

  it('reports a failure in the worker as a typed error instead of hanging', async () => {
    await expect(workerBatchSource([{ ...samples[0], labelled: 0 }], geometry)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('draw gamma from the recorded range: none recorded draws as 0.2 did, a wider range changes the images only', async () => {
    const take = async (gamma?: number) => {
      const augmentation = { ...DEFAULT_AUGMENT_OPTIONS, ...(gamma === undefined ? {} : { gamma }) };
      return inlineBatchSource(samples, { ...geometry, augmentation }).take(3);
    };
    const unset = await take();
    const same = await take(DEFAULT_INTENSITY_OPTIONS.gamma);
    const wide = await take(1);
    expect(Array.from(same.input)).toEqual(Array.from(unset.input));
    expect(Array.from(wide.input)).not.toEqual(Array.from(unset.input));
    expect(Array.from(wide.target)).toEqual(Array.from(unset.target));
    expect(Array.from(wide.weights)).toEqual(Array.from(unset.weights));
  });

  it('draw no zoom unless a range is recorded, and zoom images, targets and weights together when one is', async () => {
    const take = async (scale?: number) => {
      const augmentation = { ...DEFAULT_AUGMENT_OPTIONS, ...(scale === undefined ? {} : { scale }) };
      return inlineBatchSource(samples, { ...geometry, augmentation }).take(3);
    };
    const unset = await take();
    const zero = await take(0);
    const zoomed = await take(0.5);
    expect(Array.from(zero.input)).toEqual(Array.from(unset.input));
    expect(Array.from(zero.target)).toEqual(Array.from(unset.target));
    expect(Array.from(zoomed.input)).not.toEqual(Array.from(unset.input));
    expect(Array.from(zoomed.target)).not.toEqual(Array.from(unset.target));
  });
});

describe('the augmented region around a tile', () => {
  it('is 0.21 of the tile plus 3 sigma without zoom, as recorded runs drew it, and none without deformation', () => {
    const aug = { rotation: true, elastic: true, elasticSigma: 10 };
    expect(regionMargin(316, aug, 0)).toBe(Math.ceil(0.21 * 316 + 30));
    expect(regionMargin(316, { ...aug, elastic: false }, 0)).toBe(Math.ceil(0.21 * 316));
    expect(regionMargin(316, { rotation: false, elastic: false, elasticSigma: 10 }, 0)).toBe(0);
  });

  it('holds every pixel a shrunk, turned tile reads, with 3 sigma to spare for the elastic displacements', () => {
    for (const [input, range] of [[316, 0.3], [92, 0.7], [188, 0.05]]) {
      const margin = regionMargin(input, { rotation: true, elastic: true, elasticSigma: 10 }, range);
      const region = input + 2 * margin;
      let reach = -Infinity;
      for (const angle of [0, Math.PI / 4, 1, (3 * Math.PI) / 4]) {
        const field = createAffineField(region, region, { angle, scale: Math.exp(-range) });
        for (let y = margin; y < margin + input; y++) {
          for (let x = margin; x < margin + input; x++) {
            const i = y * region + x;
            const qx = x + field.dx[i];
            const qy = y + field.dy[i];
            reach = Math.max(reach, -qx, -qy, qx - (region - 1), qy - (region - 1));
          }
        }
      }
      expect(reach).toBeLessThanOrEqual(-30 + 1);
      expect(reach).toBeGreaterThan(-30 - 0.02 * input - 2);
    }
  });
});
