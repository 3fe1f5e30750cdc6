import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../../../src-main/engine/trainer';
import { curvePoint, progressInfo, progressMessage, progressPercent } from '../../../src-main/pipeline/training-progress';

const step: TrainProgress = { step: 25, totalSteps: 100, loss: 0.123456, learningRate: 0.01, tilesPerSecond: 4, etaSeconds: 30, elapsed: 12.3456, dataMs: 2 };
const validated: TrainProgress = { ...step, validation: { loss: 0.2, iou: 0.71234 } };

describe('engine progress as the pipeline reports it', () => {
  it('records loss, learning rate and speed on the curve, and validation when there was one', () => {
    expect(curvePoint(step)).toEqual({ step: 25, loss: 0.123456, metrics: { learningRate: 0.01, tilesPerSecond: 4 }, elapsedMs: 12346 });
    expect(curvePoint(validated).metrics).toEqual({ learningRate: 0.01, tilesPerSecond: 4, valLoss: 0.2, iou: 0.71234 });
  });

  it('names the run and, once the engine said it, the backend', () => {
    expect(progressInfo(7, step, undefined)).toEqual({ runId: 7, step: 25, totalSteps: 100, loss: 0.123456, tilesPerSecond: 4, etaSeconds: 30, elapsedSeconds: 12.3456 });
    expect(progressInfo(7, validated, 'wasm')).toMatchObject({ validation: { loss: 0.2, iou: 0.71234 }, backend: 'wasm' });
  });

  it('counts steps, or the time budget when that is further along, up to 100', () => {
    expect(progressPercent(step, undefined)).toBe(25);
    expect(progressPercent(step, 10)).toBe(25);
    expect(progressPercent({ ...step, elapsed: 300 }, 10)).toBe(50);
    expect(progressPercent({ ...step, elapsed: 900 }, 10)).toBe(100);
  });

  it('says the step, the loss and the validation IoU', () => {
    expect(progressMessage(step)).toBe('step 25/100, loss 0.1235');
    expect(progressMessage(validated)).toBe('step 25/100, loss 0.1235, validation IoU 0.712');
  });
});
