import { z } from 'zod';
import { defineService, event, method } from './define';
import type { ErrorInfo } from './errors';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

export interface JobInfo {
  id: string;
  kind: string;
  title: string;
  status: JobStatus;
  /** 0..100; the first event of a job carries 0 and the last of a succeeded job 100. */
  progress: number;
  message: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: ErrorInfo;
  /** Kind-specific live data (training: step, loss, IoU, tiles/s, ETA). */
  data?: Record<string, unknown>;
  /** Kind-specific outcome once succeeded (e.g. a run id). */
  result?: unknown;
}

export const jobId = z.object({ id: z.string().min(1).max(200) });

export const jobsService = defineService({
  methods: {
    list: method().returns<JobInfo[]>(),
    get: method(jobId).returns<JobInfo>(),
    cancel: method(jobId).returns<JobInfo>(),
  },
  events: {
    update: event<JobInfo>(),
  },
});
