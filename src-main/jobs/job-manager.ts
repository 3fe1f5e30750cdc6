import { randomUUID } from 'node:crypto';
import { isFinished, type JobInfo, type JobStatus } from '../../src-shared/contract/jobs';
import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';

export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Reports progress (0..100, clamped and never decreasing) with a message and optional live data. */
  progress(percent: number, message?: string, data?: Record<string, unknown>): void;
  /** Throws CANCELLED when the job was cancelled; call it at every step. */
  throwIfCancelled(): void;
}

export interface JobSpec<T> {
  kind: string;
  title: string;
  run: (ctx: JobContext) => Promise<T>;
  /** Called once when the job ends, whatever the outcome (e.g. to update a run record). */
  onFinished?: (job: JobInfo) => void;
}

interface JobEntry {
  info: JobInfo;
  controller: AbortController;
  done: Promise<JobInfo>;
}

const FINISHED_JOBS_KEPT = 200;

/**
 * Long work as jobs: queued -> running -> succeeded | failed | cancelled | interrupted, with progress
 * events that start at 0 and end at 100. Jobs run concurrently; each one's failure stays its own.
 */
export class JobManager {
  private readonly jobs = new Map<string, JobEntry>();

  constructor(private readonly onUpdate: (job: JobInfo) => void) {}

  start<T>(spec: JobSpec<T>): JobInfo {
    const id = randomUUID();
    const controller = new AbortController();
    const info: JobInfo = {
      id,
      kind: spec.kind,
      title: spec.title,
      status: 'queued',
      progress: 0,
      message: 'queued',
      createdAt: new Date().toISOString(),
    };
    const entry: JobEntry = { info, controller, done: Promise.resolve(info) };
    this.jobs.set(id, entry);
    this.emit(entry);
    entry.done = this.execute(entry, spec);
    this.prune();
    return { ...info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => ({ ...e.info })).reverse();
  }

  get(id: string): JobInfo {
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    return { ...entry.info };
  }

  /** Resolves when the job has finished, with its final state. */
  wait(id: string): Promise<JobInfo> {
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    return entry.done;
  }

  cancel(id: string): JobInfo {
    const entry = this.jobs.get(id);
    if (!entry) throw new UnetError('NOT_FOUND', `no job with id ${id}`);
    if (!isFinished(entry.info.status)) entry.controller.abort();
    return { ...entry.info };
  }

  cancelAll(): void {
    for (const entry of this.jobs.values()) if (!isFinished(entry.info.status)) entry.controller.abort();
  }

  private async execute<T>(entry: JobEntry, spec: JobSpec<T>): Promise<JobInfo> {
    // Let the caller receive the queued state before anything runs.
    await Promise.resolve();
    const { info, controller } = entry;
    const ctx: JobContext = {
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

  private emit(entry: JobEntry): void {
    this.onUpdate({ ...entry.info });
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((e) => isFinished(e.info.status));
    for (const entry of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) this.jobs.delete(entry.info.id);
  }
}
