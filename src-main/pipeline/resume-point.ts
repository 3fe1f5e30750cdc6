import path from 'node:path';
import type { CheckpointRecord, InterruptedRun } from '../../src-shared/contract/records';
import type { Workspace } from '../store/workspace';
import { latestCheckpointOnDisk } from './checkpoint-on-disk';
import { runCheckpointsDir } from './run-model';

/** Where a resume continues: the run whose `latest` checkpoint the engine will load, and its step. */
export interface ResumePoint {
  runId: number;
  step: number;
  /** The checkpoint folder on disk. */
  dir: string;
}

/**
 * The one rule for where a run resumes, used both by resume and by the list of interrupted runs:
 * the `latest` checkpoint on disk (what the engine loads, which after a kill may be ahead of the
 * record) of the run itself, or, for a resume killed before its first checkpoint, of the nearest run
 * it continued (following resumedFrom). Null when none of them left one.
 */
export async function resumePoint(ws: Workspace, runId: number): Promise<ResumePoint | null> {
  const seen = new Set<number>();
  for (let id: number | null = runId; id !== null && !seen.has(id); id = ws.runs.get(id).resumedFrom ?? null) {
    seen.add(id);
    const onDisk = await latestCheckpointOnDisk(runCheckpointsDir(ws, id));
    if (onDisk) return { runId: id, step: onDisk.step, dir: onDisk.dir };
  }
  return null;
}

/**
 * Records a checkpoint the engine wrote but did not live to report, so the record matches the disk.
 * Call it only when no engine is writing this run.
 */
export async function recordUnreportedCheckpoint(ws: Workspace, runId: number): Promise<string | null> {
  const onDisk = await latestCheckpointOnDisk(runCheckpointsDir(ws, runId));
  if (!onDisk) return null;
  const recorded = ws.runs.checkpoints(runId).filter((c) => samePath(c.path, onDisk.dir));
  if (onDisk.step > Math.max(0, ...recorded.map((c) => c.step))) ws.runs.addCheckpoint(runId, { step: onDisk.step, path: onDisk.dir, metricName: null, metricValue: null });
  return onDisk.dir;
}

/**
 * The interrupted runs, newest first: resumable exactly when resume would find a checkpoint, and
 * with the checkpoint it would continue from (else the run's last recorded one).
 */
export async function interruptedRuns(ws: Workspace): Promise<InterruptedRun[]> {
  const entries: InterruptedRun[] = [];
  for (const run of ws.runs.list({ status: 'interrupted', limit: 1000 })) {
    const point = await resumePoint(ws, run.id);
    const lastCheckpoint = point ? await recordedResumePoint(ws, point) : ws.runs.lastCheckpoint(run.id);
    entries.push({ run, lastCheckpoint, resumable: point !== null });
  }
  return entries;
}

/** The record of a resume point; one the engine wrote but did not report is recorded first. */
async function recordedResumePoint(ws: Workspace, point: ResumePoint): Promise<CheckpointRecord | null> {
  await recordUnreportedCheckpoint(ws, point.runId);
  return ws.runs.checkpoints(point.runId).find((c) => c.step === point.step && samePath(c.path, point.dir)) ?? null;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
