import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import type { TrainProgressInfo } from '../../../src-shared/contract/training';
import { progressFraction } from '../../../src-renderer/src/lib/train/progress';

const job = (patch: Partial<JobInfo>): JobInfo => ({ id: 'j', kind: 'training', title: 't', status: 'running', progress: 0, message: '', createdAt: '', ...patch });
const p = (step: number, totalSteps: number) => ({ step, totalSteps }) as TrainProgressInfo;

describe('progressFraction', () => {
  it('uses the larger of the job percentage and the steps done', () => {
    expect(progressFraction(job({ progress: 10 }), p(50, 100))).toBe(0.5);
    expect(progressFraction(job({ progress: 60 }), p(50, 100))).toBe(0.6);
  });

  it('is 0 without a job and 1 once it succeeded', () => {
    expect(progressFraction(undefined, undefined)).toBe(0);
    expect(progressFraction(job({ status: 'succeeded', progress: 99 }), undefined)).toBe(1);
  });

  it('stays within 0..1', () => {
    expect(progressFraction(job({ progress: 140 }), p(0, 0))).toBe(1);
  });
});
