import { existsSync, mkdirSync, readdirSync, renameSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { CurvePoint } from '../../src-shared/contract/records';
import { initBackend } from '../../src-main/engine/backend';
import { LATEST, readCheckpoint } from '../../src-main/engine/checkpoint';
import { runCheckpointsDir } from '../../src-main/pipeline/run-model';
import { curveDefects, enginePids, lineageSteps, theEnginePid, waitForJob, type TrainingApp } from './engine-harness';

/** When to SIGKILL the engine of the current run. */
export type KillMoment = KillTime & {
  /** After the kill, leave the latest checkpoint as a kill between the two renames of its write would. */
  setAside?: boolean;
};

type KillTime =
  /** On the first progress event at or past this step (of the whole lineage). */
  | { at: 'step'; step: number }
  /** `delayMs` after the progress event of a checkpoint step at or past `step`: lands in or near the checkpoint write. */
  | { at: 'checkpoint'; step: number; delayMs: number }
  /** `delayMs` after the engine process appears, before it reports a step (a resume killed while starting). */
  | { at: 'startup'; delayMs: number }
  /** As soon as the engine starts writing a `latest` checkpoint at or past `step` (its temporary folder appears). */
  | { at: 'write'; step: number };

export interface KillChainPlan {
  steps: number;
  validateEvery: number;
  seed: number;
  kills: KillMoment[];
  /** Longest acceptable time from the kill to the job's end. */
  interruptWithinMs: number;
}

export interface KillFigures {
  moment: string;
  runId: number;
  /** Last step the engine reported before the kill reached it. */
  stepAtKill: number;
  msToInterrupted: number;
  /** Step of the checkpoint on disk after the kill (what a resume continues from), or null. */
  checkpointStep: number | null;
  recordedCheckpointStep: number | null;
  message: string;
  pingMs: number;
}

export interface KillChainFigures {
  kills: KillFigures[];
  runs: number[];
  /** Each run's recorded curve: first and last step. */
  curves: Array<{ runId: number; first: number | null; last: number | null; points: number }>;
  lineageSteps: number;
  /** Temporary folders left by checkpoint writes that a kill cut short. */
  leftoverTempFolders: string[];
}

function describeMoment(m: KillMoment): string {
  return `${describeTime(m)}${m.setAside ? ', checkpoint left set aside' : ''}`;
}

function describeTime(m: KillTime): string {
  if (m.at === 'step') return `after step ${m.step}`;
  if (m.at === 'checkpoint') return `${m.delayMs} ms after the checkpoint step ${m.step}`;
  if (m.at === 'write') return `while writing the checkpoint of step ${m.step} or later`;
  return `${m.delayMs} ms into engine startup`;
}

/** Arms the kill for the run `runId`; resolves with the step the engine had reported when it fired. */
function armKill(app: TrainingApp, runId: number, moment: KillMoment, checkpointEvery: number): { fired: Promise<{ step: number; at: number }>; disarm(): void } {
  let lastStep = 0;
  let done = false;
  let resolveFired!: (v: { step: number; at: number }) => void;
  let rejectFired!: (error: Error) => void;
  const fired = new Promise<{ step: number; at: number }>((resolve, reject) => {
    resolveFired = resolve;
    rejectFired = reject;
  });
  // Runs inside the app's own event handlers: report a failure through `fired`, never throw into them.
  const fire = () => {
    if (done) return;
    done = true;
    try {
      process.kill(theEnginePid(), 'SIGKILL');
      resolveFired({ step: lastStep, at: performance.now() });
    } catch (error) {
      rejectFired(error as Error);
    }
  };
  const off = app.api.training.onProgress((p) => {
    if (p.runId !== runId) return;
    lastStep = p.step;
    if (moment.at === 'step' && p.step >= moment.step) fire();
    if (moment.at === 'checkpoint' && p.step >= moment.step && p.step % checkpointEvery === 0) setTimeout(fire, moment.delayMs);
  });
  let watcher: FSWatcher | undefined;
  if (moment.at === 'write') {
    const dir = runCheckpointsDir(app.ctx.workspace.current, runId);
    mkdirSync(dir, { recursive: true });
    watcher = watch(dir, (_event, name) => {
      if (typeof name === 'string' && name.startsWith(`.${LATEST}.tmp-`) && lastStep >= moment.step) fire();
    });
  }
  let poll: NodeJS.Timeout | undefined;
  if (moment.at === 'startup') {
    poll = setInterval(() => {
      if (enginePids().length === 1) {
        clearInterval(poll);
        setTimeout(fire, moment.delayMs);
      }
    }, 5);
  }
  return {
    fired,
    disarm: () => {
      done = true;
      off();
      watcher?.close();
      clearInterval(poll);
    },
  };
}

/**
 * Trains a run, SIGKILLs its engine at each planned moment and resumes after each kill, checking that
 * every kill ends the job 'interrupted' quickly with the signal recorded, that the API keeps answering,
 * that the checkpoint left on disk loads, and that the runs' curves together are 1..steps exactly.
 */
export async function killAndResumeChain(app: TrainingApp, plan: KillChainPlan): Promise<KillChainFigures> {
  const { api, ctx, datasetId } = app;
  const figures: KillFigures[] = [];
  const runs: number[] = [];
  let started = await api.training.start({ datasetId, name: 'killed', options: { preset: 'tiny', steps: plan.steps, validateEvery: plan.validateEvery, seed: plan.seed } });
  for (const moment of plan.kills) {
    runs.push(started.runId);
    // A checkpoint follows every validation.
    const kill = armKill(app, started.runId, moment, plan.validateEvery);
    const endedPromise = waitForJob(ctx, started.job, 120_000);
    const { step: stepAtKill, at } = await Promise.race([kill.fired, endedPromise.then((j) => Promise.reject(new Error(`run ended ${j.status} before the kill (${describeMoment(moment)})`)))]);
    // The app answers while the engine is dying.
    const t0 = performance.now();
    const [ping] = await Promise.all([api.system.ping({ echo: 'alive' }), api.runs.list({ datasetId })]);
    const pingMs = performance.now() - t0;
    expect(ping.echo).toBe('alive');
    const ended: JobInfo = await endedPromise;
    const msToInterrupted = performance.now() - at;
    kill.disarm();
    expect(ended.status, JSON.stringify(ended.error)).toBe('interrupted');
    expect(msToInterrupted).toBeLessThan(plan.interruptWithinMs);
    expect(enginePids()).toEqual([]);

    const run = await api.runs.get({ id: started.runId });
    expect(run.status).toBe('interrupted');
    expect(run.error?.message).toMatch(/^training was interrupted at step \d+: the engine process was killed by SIGKILL/);
    expect(run.error?.details).toMatchObject({ signal: 'SIGKILL', interrupted: true });
    expect((await api.runs.list({ datasetId, status: 'running' })).length).toBe(0);

    const checkpoints = await api.runs.checkpoints({ id: started.runId });
    const latest = checkpoints.filter((c) => path.basename(c.path) === LATEST).at(-1) ?? null;
    // A kill between the two renames of a checkpoint write leaves it set aside (too brief a window to
    // hit by timing): make that state by hand; the resume must put it back.
    if (moment.setAside && latest) renameSync(latest.path, path.join(path.dirname(latest.path), `.${LATEST}.old-999999-${Date.now()}`));
    const killedRunId = started.runId;
    started = await api.training.resume({ runId: killedRunId });

    let checkpointStep: number | null = null;
    if (latest) {
      // The checkpoint on disk loads, with weights, optimizer slots and the run state, and the record
      // names it (also when the kill came between its write and its report).
      await initBackend('cpu');
      const loaded = await readCheckpoint(latest.path);
      try {
        checkpointStep = loaded.state.step;
        expect(loaded.model.countParams()).toBeGreaterThan(0);
        expect(loaded.optimizer).not.toBeNull();
        expect(loaded.state.step).toBe(latest.step);
        expect(loaded.state.curve.map((c) => c.step)).toEqual(Array.from({ length: loaded.state.step }, (_, i) => i + 1));
      } finally {
        loaded.model.dispose();
      }
      expect(run.error?.message).toContain(`continue from the checkpoint at step ${checkpointStep}.`);
    }
    figures.push({
      moment: describeMoment(moment),
      runId: killedRunId,
      stepAtKill,
      msToInterrupted: Math.round(msToInterrupted),
      checkpointStep,
      recordedCheckpointStep: latest?.step ?? null,
      message: run.error?.message ?? '',
      pingMs: Math.round(pingMs),
    });
  }
  runs.push(started.runId);
  const last = await waitForJob(ctx, started.job, 300_000);
  expect(last.status, JSON.stringify(last.error)).toBe('succeeded');
  expect((last.result as { steps: number }).steps).toBe(plan.steps);

  const curves: CurvePoint[][] = [];
  for (const id of runs) curves.push(await api.runs.curves({ id }));
  // Each run's own curve is contiguous from where it started.
  curves.forEach((curve, i) => expect(curveDefects(curve.map((p) => p.step), curve[0]?.step ?? 1), `run ${runs[i]}`).toEqual([]));
  const lineage = lineageSteps(curves);
  expect(curveDefects(lineage, 1)).toEqual([]);
  expect(lineage.at(-1)).toBe(plan.steps);
  // Every resume continued exactly after the checkpoint it loaded (or its run's ancestor's when it had none).
  let previousCheckpoint: number | null = null;
  runs.forEach((_, i) => {
    if (i > 0 && curves[i].length > 0) expect(curves[i][0].step).toBe((previousCheckpoint ?? 0) + 1);
    const f = figures[i];
    if (f && f.checkpointStep !== null) previousCheckpoint = f.checkpointStep;
  });
  const final = await api.runs.get({ id: runs.at(-1) as number });
  expect(final.resumedFrom).toBe(runs.at(-2));
  return {
    kills: figures,
    runs,
    curves: curves.map((c, i) => ({ runId: runs[i], first: c[0]?.step ?? null, last: c.at(-1)?.step ?? null, points: c.length })),
    lineageSteps: lineage.length,
    leftoverTempFolders: tempFolders(path.join(ctx.workspacePath, 'models')),
  };
}

function tempFolders(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  const found: string[] = [];
  for (const run of readdirSync(modelsDir)) {
    const dir = path.join(modelsDir, run, 'checkpoints');
    if (existsSync(dir)) found.push(...readdirSync(dir).filter((n) => n.includes('.tmp-') || n.includes('.old-')).map((n) => `${run}/checkpoints/${n}`));
  }
  return found;
}
