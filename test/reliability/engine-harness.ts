import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contract, type UnetApi } from '../../src-shared/contract/index';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { CurvePoint } from '../../src-shared/contract/records';
import { createApiClient } from '../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../src-main/app/app-context';
import { writeBlobFolders } from '../src-main/pipeline/blob-folders';

export interface TrainingApp {
  ctx: AppContext;
  api: UnetApi;
  /** A data set of four synthetic 96 x 96 images: three train, one validation. */
  datasetId: number;
  close(): Promise<void>;
}

/** The app in this process, as the CLI wires it (engine runs in a forked process), with a small data set. */
export async function openTrainingApp(dir: string): Promise<TrainingApp> {
  await writeBlobFolders(path.join(dir, 'blobs'), { count: 4, width: 96, height: 96 });
  const ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
  const api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, p) => c === channel && listener(p)),
  });
  const datasetId = (await api.datasets.create({ name: 'blobs' })).id;
  const imported = await ctx.jobs.wait((await api.images.import({ datasetId, paths: [path.join(dir, 'blobs')] })).id);
  if (imported.status !== 'succeeded') throw new Error(`import failed: ${JSON.stringify(imported.error)}`);
  const ids = (await api.images.list({ datasetId })).items.map((i) => i.id);
  await api.images.setSplit({ ids: ids.slice(0, 3), split: 'train' });
  await api.images.setSplit({ ids: ids.slice(3), split: 'validation' });
  return { ctx, api, datasetId, close: () => ctx.close() };
}

/** Live engine processes forked by this process (the test worker): found with `ps --ppid`. */
export function enginePids(): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,stat=,args='], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there is no child at all
  }
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && !f[1].startsWith('Z') && f.slice(2).join(' ').includes('engine-process'))
    .map((f) => Number(f[0]));
}

/** The one engine process of this worker; throws when there is none or more than one. */
export function theEnginePid(): number {
  const pids = enginePids();
  if (pids.length !== 1) throw new Error(`expected one engine process, found ${pids.length}`);
  return pids[0];
}

/** A job's end, or an error when it has not ended within `ms` (a hang is a failure, not a wait). */
export async function waitForJob(ctx: AppContext, job: JobInfo, ms: number): Promise<JobInfo> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`job ${job.title} did not end within ${ms} ms (${ctx.jobs.get(job.id).status})`)), ms);
  });
  try {
    return await Promise.race([ctx.jobs.wait(job.id), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Steps that are not 1, 2, 3 ... in order from `first`: repeated, missing or out of order. */
export function curveDefects(steps: number[], first: number): string[] {
  const defects: string[] = [];
  steps.forEach((step, i) => {
    if (step !== first + i) defects.push(`position ${i}: step ${step}, expected ${first + i}`);
  });
  return defects;
}

/**
 * The curve of a chain of resumed runs as one: each run's points up to where the next run continued
 * (the step of the checkpoint it resumed from), then the last run's points.
 */
export function lineageSteps(curves: CurvePoint[][]): number[] {
  const steps: number[] = [];
  curves.forEach((curve, i) => {
    // A run killed before its first step has no points; the one after it continued from further back.
    const next = curves.slice(i + 1).find((c) => c.length > 0);
    const until = next ? next[0].step - 1 : Infinity;
    for (const p of curve) if (p.step <= until) steps.push(p.step);
  });
  return steps;
}

/** Peak resident and current virtual size of a process, in bytes (Linux /proc). */
export function processMemory(pid: number): { vmSize: number; vmHwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024;
    return { vmSize: field('VmSize'), vmHwm: field('VmHWM') };
  } catch {
    return null;
  }
}
