import { randomUUID } from 'node:crypto';
import { isFinished, type JobData, type JobInfo, type JobKind, type JobOf, type JobResult, type JobStatus } from '../../src-shared/contract/jobs';
import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';

export interface JobContext<K extends JobKind> {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Reports progress (0..100, clamped and never decreasing) with a message and optional live data. */
  progress(percent: number, message?: string, data?: JobData<K>): void;
  /** Throws CANCELLED when the job was cancelled; call it at every step. */
  throwIfCancelled(): void;
}

export interface JobSpec<K extends JobKind> {
  kind: K;
  title: string;
  run: (ctx: JobContext<K>) => Promise<JobResult<K>>;
  /** Called once when the job ends, whatever the outcome (e.g. to update a run record). */
  onFinished?: (job: JobOf<K>) => void;
}

interface JobEntry<K extends JobKind = JobKind> {
  info: JobOf<K>;
  controller: AbortController;
  done: Promise<JobOf<K>>;
}

const FINISHED_JOBS_KEPT = 200;

/**
 * Long work as jobs: queued -> running -> succeeded | failed | cancelled | interrupted, with progress
 * events that start at 0 and end at 100. Jobs run concurrently; each one's failure stays its own.
 */
export class JobManager {
  private readonly jobs = new Map<string, JobEntry>();

  constructor(private readonly onUpdate: (job: JobInfo) => void) {}

  start<K extends JobKind>(spec: JobSpec<K>): JobOf<K> {
    const id = randomUUID();
    const controller = new AbortController();
    const info: JobOf<K> = {
      id,
      kind: spec.kind,
      title: spec.title,
      status: 'queued',
      progress: 0,
      message: 'queued',
      createdAt: new Date().toISOString(),
    };
    const entry: JobEntry<K> = { info, controller, done: Promise.resolve(info) };
    this.jobs.set(id, entry as JobEntry);
    this.emit(entry);
    entry.done = this.execute(entry, spec);
    this.prune();
    return { ...info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => copyOf(e.info)).reverse();
  }

  get(id: string): JobInfo {
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    return copyOf(entry.info);
  }

  /** Resolves when the job has finished, with its final state. */
  wait(id: string): Promise<JobInfo>;
  /** The same for a job whose kind is known (e.g. the one `start` returned), typed by that kind. */
  wait<K extends JobKind>(job: Pick<JobOf<K>, 'id' | 'kind'>): Promise<JobOf<K>>;
  wait(job: string | Pick<JobInfo, 'id' | 'kind'>): Promise<JobOf<JobKind>> {
    const id = typeof job === 'string' ? job : job.id;
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    if (typeof job !== 'string' && entry.info.kind !== job.kind) throw new UnetError('INTERNAL', `job ${id} is of kind ${entry.info.kind}, not ${job.kind}`);
    return entry.done;
  }

  cancel(id: string): JobInfo {
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    if (!isFinished(entry.info.status)) entry.controller.abort();
    return copyOf(entry.info);
  }

  cancelAll(): void {
    for (const entry of this.jobs.values()) if (!isFinished(entry.info.status)) entry.controller.abort();
  }

  private async execute<K extends JobKind>(entry: JobEntry<K>, spec: JobSpec<K>): Promise<JobOf<K>> {
    // Let the caller receive the queued state before anything runs.
    await Promise.resolve();
    const { info, controller } = entry;
    const ctx: JobContext<K> = {
      id: info.id,
      signal: controller.signal,
      progress: (percent, message, data) => {
        if (isFinished(info.status)) return;
        const clamped = Math.max(info.progress, Math.min(99.9, Number.isFinite(percent) ? percent : 0));
        info.progress = Math.round(clamped * 10) / 10;
        if (message !== undefined) info.message = message;
        if (data !== undefined) info.data = data;
        this.emit(entry);
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new UnetError('CANCELLED', 'cancelled by the user');
      },
    };
    info.status = 'running';
    info.startedAt = new Date().toISOString();
    info.message = 'started';
    this.emit(entry);
    let status: JobStatus;
    try {
      ctx.throwIfCancelled();
      info.result = await spec.run(ctx);
      status = controller.signal.aborted ? 'cancelled' : 'succeeded';
      if (status === 'succeeded') {
        info.progress = 100;
        info.message = 'done';
      }
    } catch (error) {
      const err = toErrorInfo(error);
      status = err.code === 'CANCELLED' || controller.signal.aborted ? 'cancelled' : (err.details?.interrupted ? 'interrupted' : 'failed');
      info.error = err;
      info.message = status === 'cancelled' ? 'cancelled' : err.message;
    }
    info.status = status;
    info.finishedAt = new Date().toISOString();
    this.emit(entry);
    try {
      spec.onFinished?.({ ...info });
    } catch {
      // The job's outcome is already recorded; a failing observer must not change it.
    }
    return { ...info };
  }

  private emit(entry: JobEntry<JobKind>): void {
    this.onUpdate(copyOf(entry.info));
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((e) => isFinished(e.info.status));
    for (const entry of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) this.jobs.delete(entry.info.id);
  }
}

/** A copy of a job's state; a job of any kind is a `JobInfo` (the generic `JobOf<JobKind>` is not). */
function copyOf(info: JobOf<JobKind>): JobInfo {
  return { ...info } as JobInfo;
}
