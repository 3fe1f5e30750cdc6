import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import { JobManager } from '../../../src-main/jobs/job-manager';

function collect() {
  const events: JobInfo[] = [];
  return { events, manager: new JobManager((job) => events.push(job)) };
}

describe('JobManager', () => {
  it('reports queued, running, progress from 0 and ends at 100 on success', async () => {
    const { events, manager } = collect();
    const job = manager.start({
      kind: 'thumbnails',
      title: 'count',
      run: async (ctx) => {
        for (let i = 1; i <= 4; i++) {
          ctx.throwIfCancelled();
          ctx.progress(i * 25, `step ${i}`);
        }
        return { made: 4 };
      },
    });
    const final = await manager.wait(job.id);
    expect(final.status).toBe('succeeded');
    expect(final.result).toEqual({ made: 4 });
    expect(events[0]).toMatchObject({ status: 'queued', progress: 0 });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('cancels at the next step and records cancelled', async () => {
    const { manager } = collect();
    let steps = 0;
    const job = manager.start({
      kind: 'thumbnails',
      title: 'slow',
      run: async (ctx) => {
        for (;;) {
          ctx.throwIfCancelled();
          steps++;
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
    await new Promise((r) => setTimeout(r, 30));
    manager.cancel(job.id);
    const final = await manager.wait(job.id);
    expect(final.status).toBe('cancelled');
    const stepsAtEnd = steps;
    await new Promise((r) => setTimeout(r, 30));
    expect(steps).toBe(stepsAtEnd);
  });

  it('keeps a failing job from affecting others and reports its error', async () => {
    const { manager } = collect();
    const bad = manager.start({ kind: 'thumbnails', title: 'bad', run: async () => Promise.reject(new Error('disk on fire')) });
    const good = manager.start({ kind: 'thumbnails', title: 'good', run: async () => ({ made: 1 }) });
    expect((await manager.wait(bad.id)).error).toEqual({ code: 'INTERNAL', message: 'disk on fire' });
    expect((await manager.wait(good.id)).status).toBe('succeeded');
    expect(() => manager.get('nope')).toThrow(/no job/);
  });

  it('keeps the latest progress data and, waited on by kind, checks the kind', async () => {
    const { events, manager } = collect();
    const job = manager.start({
      kind: 'import',
      title: 'import',
      run: async (ctx) => {
        ctx.progress(50, '1/2', { datasetId: 3, done: 1, total: 2, imported: 1, annotated: 0, failed: 0 });
        ctx.progress(90, 'finishing');
        return { datasetId: 3, imported: 2, skipped: 0, annotated: 0, failures: [] };
      },
    });
    const final = await manager.wait(job);
    expect(final).toMatchObject({ kind: 'import', status: 'succeeded', data: { datasetId: 3, done: 1 }, result: { imported: 2 } });
    expect(events.find((e) => e.message === 'finishing')?.data).toEqual({ datasetId: 3, done: 1, total: 2, imported: 1, annotated: 0, failed: 0 });
    expect(() => manager.wait({ id: job.id, kind: 'training' })).toThrow(/is of kind import, not training/);
  });
});
