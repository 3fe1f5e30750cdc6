import { z } from 'zod';
import type { AnnotationExportResult } from './datasets';
import { defineService, event, method } from './define';
import type { ErrorInfo } from './errors';
import type { ImportProgress, ImportResult } from './images';
import type { SegmentationOutcome, SegmentationProgress } from './segmentation';
import type { TrainingOutcome, TrainProgressInfo } from './training';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

/**
 * What each kind of job carries: `data`, the live numbers of its latest progress event (`never`: it
 * reports none), and `result`, its outcome once succeeded. Adding a kind here makes the compiler check
 * its producer (`JobManager.start`) and every consumer that narrows on `kind`.
 */
export interface JobPayloads {
  training: { data: TrainProgressInfo; result: TrainingOutcome };
  segmentation: { data: SegmentationProgress; result: SegmentationOutcome };
  import: { data: ImportProgress; result: ImportResult };
  thumbnails: { data: never; result: { made: number } };
  'export-annotations': { data: never; result: AnnotationExportResult };
}

export type JobKind = keyof JobPayloads;
export type JobData<K extends JobKind> = JobPayloads[K]['data'];
export type JobResult<K extends JobKind> = JobPayloads[K]['result'];

/** The state of one job of kind `K`. */
export interface JobOf<K extends JobKind> {
  id: string;
  kind: K;
  title: string;
  status: JobStatus;
  /** 0..100; the first event of a job carries 0 and the last of a succeeded job 100. */
  progress: number;
  message: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: ErrorInfo;
  /** Live data of the latest progress event that carried some. */
  data?: JobData<K>;
  /** The outcome, once succeeded. */
  result?: JobResult<K>;
}

/** Any job: a union discriminated on `kind`, so `job.kind === 'training'` types `data` and `result`. */
export type JobInfo = { [K in JobKind]: JobOf<K> }[JobKind];

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
