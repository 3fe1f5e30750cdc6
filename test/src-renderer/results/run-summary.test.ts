import { describe, expect, it } from 'vitest';
import type { CheckpointRecord, CurvePoint } from '../../../src-shared/contract/records';
import { bestValidationIou, configEntries, configSummary, formatDate, formatLearningRate, lineageText, statusTone } from '../../../src-renderer/src/lib/results/run-summary';

const p = (step: number, iou?: number): CurvePoint => ({ step, loss: 1, metrics: iou === undefined ? {} : { iou }, elapsedMs: null, recordedAt: '' });
const ckpt = (step: number, metricName: string | null, metricValue: number | null): CheckpointRecord => ({ id: step, runId: 1, step, path: '', metricName, metricValue, createdAt: '' });

describe('configSummary', () => {
  it('summarises the recorded config in one line', () => {
    expect(configSummary({ preset: 'tiny', depth: 2, baseChannels: 8, tile: 92, steps: 200, optimizer: 'adam', learningRate: 0.001, w0: 10 })).toBe(
      'tiny · depth 2 · 8 ch · tile 92 · 200 steps · adam 1e-3',
    );
    expect(configSummary({})).toBe('');
  });

  it('lists known config keys first', () => {
    expect(configEntries({ zeta: 1, seed: 3, preset: 'fast', elastic: true }).map(([k]) => k)).toEqual(['preset', 'elastic', 'seed', 'zeta']);
    expect(configEntries({ lr: 0.1 + 0.2 })).toEqual([['lr', '0.3']]);
  });

  it('writes learning rates compactly', () => {
    expect(formatLearningRate(0.001)).toBe('1e-3');
    expect(formatLearningRate(0.0003)).toBe('3e-4');
    expect(formatLearningRate(0.00025)).toBe('0.000250');
  });
});

describe('bestValidationIou', () => {
  it('takes the highest validation IoU of the curve', () => {
    expect(bestValidationIou([p(1), p(10, 0.5), p(20, 0.7), p(30, 0.6)])).toEqual({ value: 0.7, step: 20 });
  });

  it('falls back to checkpoints that recorded an IoU', () => {
    expect(bestValidationIou([p(1)], [ckpt(5, 'loss', 0.1), ckpt(10, 'valIou', 0.4), ckpt(20, 'valIou', 0.3)])).toEqual({ value: 0.4, step: 10 });
    expect(bestValidationIou([], [ckpt(5, null, null)])).toBeNull();
  });
});

describe('statusTone and formatDate', () => {
  it('maps run statuses to tones', () => {
    expect(statusTone('succeeded')).toBe('ok');
    expect(statusTone('running')).toBe('running');
    expect(statusTone('interrupted')).toBe('warn');
    expect(statusTone('failed')).toBe('error');
  });

  it('formats dates to the minute and tolerates missing ones', () => {
    expect(formatDate('2026-03-14T09:26:53Z')).toMatch(/^2026-03-1[34] \d\d:\d\d$/);
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('lineageText', () => {
  it('names the model a run started from, then its own origins', () => {
    expect(lineageText([])).toBeNull();
    expect(lineageText([{ source: { kind: 'run', runId: 1 }, label: 'run #1 (tiny)', step: 40, validationIou: 0.8 }])).toBe('from run #1 (tiny) at step 40');
    expect(
      lineageText([
        { source: { kind: 'run', runId: 2 }, label: 'run #2 (b)', step: 20, validationIou: null },
        { source: { kind: 'starter', name: 'nuclei' }, label: 'starter nuclei', step: 2381, validationIou: 0.25 },
      ]),
    ).toBe('from run #2 (b) at step 20 ← starter nuclei');
  });
});
