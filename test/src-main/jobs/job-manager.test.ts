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
      kind: 'test',
      title: 'count',
      run: async (ctx) => {
        for (let i = 1; i <= 4; i++) {
          ctx.throwIfCancelled();
          ctx.progress(i * 25, `step ${i}`);
        }
        return 'answer';
      },
    });
    const final = await manager.wait(job.id);
    expect(final.status).toBe('succeeded');
    expect(final.result).toBe('answer');
    expect(events[0]).toMatchObject({ status: 'queued', progress: 0 });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('cancels at the next step and records cancelled', async () => {
    const { manager } = collect();
    let steps = 0;
    const job = manager.start({
      kind: 'test',
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
    const bad = manager.start({ kind: 't', title: 'bad', run: async () => Promise.reject(new Error('disk on fire')) });
    const good = manager.start({ kind: 't', title: 'good', run: async () => 1 });
    expect((await manager.wait(bad.id)).error).toEqual({ code: 'INTERNAL', message: 'disk on fire' });
    expect((await manager.wait(good.id)).status).toBe('succeeded');
    expect(() => manager.get('nope')).toThrow(/no job/);
  });
});
