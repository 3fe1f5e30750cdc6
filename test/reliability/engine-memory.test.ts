import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { LogEntry } from '../../src-shared/contract/system';
import { isLegalInputSize } from '../../src-shared/imaging/tile-geometry';
import { enginePids, openTrainingApp, processMemory, theEnginePid, waitForJob, type TrainingApp } from './engine-harness';
import { writeFigures } from './figures';

// Out of memory in training: a tile or network too large for the backend is shrunk or refused before
// anything is loaded, and a real allocation failure in the engine ends the job (not the app) with advice.
let dir: string;
let app: TrainingApp;
const figures: Record<string, unknown> = {};

function hasPrlimit(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when the job reports that the engine started training (backend and config known); false when it ended first. */
function engineStarted(app: TrainingApp, job: JobInfo): Promise<boolean> {
  return new Promise((resolve) => {
    const off = app.ctx.bus.subscribe((channel, payload) => {
      const update = payload as JobInfo;
      if (channel !== 'jobs.update' || update.id !== job.id) return;
      const started = /^training on /.test(update.message ?? '');
      if (started || !['queued', 'running'].includes(update.status)) {
        off();
        resolve(started);
      }
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-memory-'));
  app = await openTrainingApp(dir);
});

afterAll(async () => {
  writeFigures('engine-memory', figures);
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('training out of memory', () => {
  it('refuses a network that fits the wasm heap with no tile, before anything is loaded or recorded', async () => {
    const { api, datasetId } = app;
    const before = (await api.runs.list({ datasetId })).length;
    const refused = api.training.start({ datasetId, options: { preset: 'paper', depth: 5, baseChannels: 128, backend: 'wasm' } });
    await expect(refused).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/does not fit the wasm backend's 32-bit heap even with the smallest tile; use fewer base channels/) });
    expect((await api.runs.list({ datasetId })).length).toBe(before);
    figures.refused = (await refused.catch((e: Error) => e.message)) as string;
  });

  it('shrinks the paper preset\'s 2044 px tile to one that fits the wasm heap, records that tile, and the engine uses it', async () => {
    const { api, ctx, datasetId } = app;
    const warnings: string[] = [];
    const off = api.system.onLog((entry: LogEntry) => entry.level === 'warn' && warnings.push(entry.message));
    const t0 = performance.now();
    const { job, runId } = await api.training.start({ datasetId, options: { preset: 'paper', tile: 2044, steps: 1, backend: 'wasm' } });
    const run = await api.runs.get({ id: runId });
    expect(run.config).toMatchObject({ preset: 'paper', tile: 428, outputTile: 244, baseChannels: 64 });
    // Cancelled at once: the engine still builds the network and reports the config it trains with
    // before its first step (a paper step at 428 px takes most of a minute on two cores).
    const started = engineStarted(app, job);
    await api.jobs.cancel({ id: job.id });
    const ended = await waitForJob(ctx, job, 60_000);
    const sawEngineStart = await started;
    const ms = performance.now() - t0;
    off();
    expect(ended.status).toBe('cancelled');
    expect(ctx.jobs.get(job.id).status).toBe('cancelled');
    expect(warnings.join('\n')).toMatch(/tile 2044 needs about [\d.]+ GiB of heap per step, more than the wasm backend's 3\.0 GiB; the largest tile that fits is 428 \(output 244\); training with tile 428/);
    // The engine was started and took the recorded tile as it was: no second shrink.
    expect(sawEngineStart).toBe(true);
    expect(warnings.join('\n')).not.toMatch(/the engine uses tile/);
    figures.shrunk = { requested: 2044, recorded: run.config.tile, warning: warnings.find((w) => /largest tile that fits/.test(w)), msToCancelled: Math.round(ms) };
  }, 120_000);

  it.skipIf(!hasPrlimit())('a real allocation failure in the engine fails the job with OUT_OF_MEMORY naming a smaller tile; the app then trains again', async () => {
    const { api, ctx, datasetId } = app;
    // One level of 64 channels on a 2044 px tile: the first convolution's output alone is 1.07 GB.
    // The engine's address space is capped 1 GiB above what it uses once started, so that allocation
    // fails at once (the cpu backend allocates the output before computing it).
    const { job, runId } = await api.training.start({ datasetId, options: { preset: 'tiny', depth: 1, baseChannels: 64, tile: 2044, steps: 2, backend: 'cpu' } });
    expect(await engineStarted(app, job)).toBe(true);
    const pid = theEnginePid();
    const memory = processMemory(pid);
    expect(memory).not.toBeNull();
    execFileSync('prlimit', ['--pid', String(pid), `--as=${(memory?.vmSize ?? 0) + 1024 ** 3}:`]);
    let runaway = false;
    const watchdog = setInterval(() => {
      const now = processMemory(pid);
      if (now && now.vmHwm > 3 * 1024 ** 3) {
        runaway = true;
        process.kill(pid, 'SIGKILL');
      }
    }, 200);
    let ended: JobInfo;
    try {
      ended = await waitForJob(ctx, job, 90_000);
    } finally {
      clearInterval(watchdog);
    }
    expect(runaway, 'the cap did not hold: the engine grew past 3 GiB resident').toBe(false);
    expect(ended.status, JSON.stringify(ended.error)).toBe('failed');
    expect(ended.error?.code).toBe('OUT_OF_MEMORY');
    const message = ended.error?.message ?? '';
    expect(message).toMatch(/^training ran out of memory at step 1 with tile 2044 on the cpu backend: .*allocation failed.*\. Try a smaller tile: tile (\d+) \(output \d+\) needs about [\d.]+ GiB per step instead of [\d.]+ GiB/);
    const suggested = Number(/Try a smaller tile: tile (\d+)/.exec(message)?.[1]);
    expect(suggested).toBeLessThan(2044);
    expect(isLegalInputSize(suggested, 1)).toBe(true);
    expect(ended.error?.details).toMatchObject({ tile: 2044, suggestedTile: suggested });
    expect(enginePids()).toEqual([]);

    // The app survived: it answers, the run is recorded as failed with why, and the next training works.
    expect((await api.system.ping({ echo: 'after' })).echo).toBe('after');
    const run = await api.runs.get({ id: runId });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('OUT_OF_MEMORY');
    expect((await api.runs.list({ datasetId, status: 'running' })).length).toBe(0);
    const next = await api.training.start({ datasetId, options: { preset: 'tiny', steps: 3, validateEvery: 3 } });
    const nextEnded = await waitForJob(ctx, next.job, 60_000);
    expect(nextEnded.status, JSON.stringify(nextEnded.error)).toBe('succeeded');
    figures.allocationFailure = { message, suggestedTile: suggested, engineVmSizeAtStart: memory?.vmSize, nextRun: nextEnded.status };
  }, 120_000);

  it.skipIf(!hasPrlimit())('ONNX Runtime running out of memory on the paper preset ends the job OUT_OF_MEMORY with advice; the app then trains again', async () => {
    const { api, ctx, datasetId } = app;
    // The paper network at 572 px: a step's activations are several GiB; the engine is capped 512 MiB
    // above what it uses once ONNX Runtime has started, so the first step's allocation fails.
    const { job, runId } = await api.training.start({ datasetId, options: { preset: 'paper', steps: 2, backend: 'ort-cpu', threads: 1 } });
    expect(await engineStarted(app, job)).toBe(true);
    const pid = theEnginePid();
    const memory = processMemory(pid);
    expect(memory).not.toBeNull();
    execFileSync('prlimit', ['--pid', String(pid), `--as=${(memory?.vmSize ?? 0) + 512 * 1024 ** 2}:`]);
    const ended = await waitForJob(ctx, job, 120_000);
    expect(ended.error?.code, JSON.stringify(ended.error)).toBe('OUT_OF_MEMORY');
    const message = ended.error?.message ?? '';
    // Which allocation meets the cap first depends on timing under load: ONNX Runtime's (the engine
    // reports it and the job fails) or V8's heap growing (the engine aborts, the app reads why from its
    // stderr, and the job is interrupted like any engine that died: engine-client.test.ts). Either way
    // the job ends OUT_OF_MEMORY with advice.
    const ortFailed = /^training ran out of memory at step 1 with tile 572 on the onnxruntime-cpu backend: /.test(message);
    const heapFailed = /^training was interrupted at step \d+: the engine process .*\(its JavaScript heap ran out of memory\)/s.test(message);
    expect(ortFailed || heapFailed, message).toBe(true);
    expect(ended.status, message).toBe(ortFailed ? 'failed' : 'interrupted');
    expect(message).toMatch(/(Try a smaller tile: tile \d+|use fewer base channels)/);
    expect(enginePids()).toEqual([]);
    expect((await api.runs.get({ id: runId })).error?.code).toBe('OUT_OF_MEMORY');
    const next = await api.training.start({ datasetId, options: { preset: 'tiny', steps: 3, validateEvery: 3, backend: 'ort-cpu' } });
    const nextEnded = await waitForJob(ctx, next.job, 60_000);
    expect(nextEnded.status, JSON.stringify(nextEnded.error)).toBe('succeeded');
    figures.ortAllocationFailure = { message, failedIn: ortFailed ? 'onnxruntime' : 'v8-heap', engineVmSizeAtStart: memory?.vmSize };
  }, 180_000);
});
