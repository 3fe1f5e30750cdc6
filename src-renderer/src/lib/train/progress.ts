import type { JobInfo } from '../../../../src-shared/contract/jobs';
import type { TrainProgressInfo } from '../../../../src-shared/contract/training';

/** 0..1 for the progress bar: the job's own percentage, else steps done, and 1 once it succeeded. */
export function progressFraction(job: JobInfo | undefined, progress: TrainProgressInfo | undefined): number {
  if (!job) return 0;
  if (job.status === 'succeeded') return 1;
  const fromJob = Number.isFinite(job.progress) ? job.progress / 100 : 0;
  const fromSteps = progress && progress.totalSteps > 0 ? progress.step / progress.totalSteps : 0;
  return Math.min(1, Math.max(0, fromJob, fromSteps));
}
