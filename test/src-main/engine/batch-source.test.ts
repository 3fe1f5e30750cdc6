import { describe, expect, it } from 'vitest';
import { inlineBatchSource, workerBatchSource, type BatchGeometry } from '../../../src-main/engine/batch-source';
import { prepareSample } from '../../../src-main/engine/training-data';
import { DEFAULT_AUGMENT_OPTIONS, DEFAULT_INTENSITY_OPTIONS } from '../../../src-shared/imaging/augmentation';
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
});
