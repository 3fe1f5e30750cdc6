import type { ServiceImpl } from '../../src-shared/contract/define';
import type { jobsService } from '../../src-shared/contract/jobs';
import type { JobManager } from '../jobs/job-manager';

export function createJobsService(jobs: JobManager): ServiceImpl<typeof jobsService> {
  return {
    list: () => jobs.list(),
    get: ({ id }) => jobs.get(id),
    cancel: ({ id }) => jobs.cancel(id),
  };
}
