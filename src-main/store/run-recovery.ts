import os from 'node:os';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { RunStatus } from '../../src-shared/contract/records';
import { isProcessAlive } from '../io/process-alive';
import { nowIso } from './clock';
import type { Db } from './database';
import type { RunCheckpoints } from './run-checkpoints';

/** This process, as recorded in a running run's owner column. */
export function processOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * Whether a run marked queued/running at open has lost its process. A run owned by another live
 * process on this host (a second app or CLI on the same workspace) is left alone; this process's
 * own pid counts as lost, since a freshly opened workspace cannot have started anything yet.
 */
function isOrphaned(owner: string | null): boolean {
  if (!owner) return true;
  const sep = owner.lastIndexOf(':');
  const host = owner.slice(0, sep);
  const pid = Number(owner.slice(sep + 1));
  if (host !== os.hostname() || !Number.isInteger(pid)) return false;
  return pid === process.pid || !isProcessAlive(pid);
}

/**
 * Called at open: runs left queued or running by a process that no longer exists become
 * interrupted, with their last recorded checkpoint noted in the error details. Returns their ids.
 */
export function recoverInterruptedRuns(db: Db, checkpoints: RunCheckpoints): number[] {
  const stale = (db.prepare("SELECT id, owner, status FROM runs WHERE status IN ('queued', 'running')").all() as { id: number; owner: string | null; status: RunStatus }[]).filter((r) =>
    isOrphaned(r.owner),
  );
  if (stale.length === 0) return [];
  const time = nowIso();
  const update = db.prepare("UPDATE runs SET status = 'interrupted', error = ?, finished_at = ?, updated_at = ? WHERE id = ?");
  db.transaction(() => {
    for (const run of stale) {
      const checkpoint = checkpoints.last(run.id);
      const message = checkpoint
        ? `the application stopped while this run was ${run.status}; the last checkpoint is at step ${checkpoint.step}`
        : `the application stopped while this run was ${run.status}; no checkpoint was saved`;
      const error: ErrorInfo = {
        code: 'INTERNAL',
        message,
        details: { interrupted: true, previousStatus: run.status, checkpointId: checkpoint?.id ?? null, checkpointStep: checkpoint?.step ?? null },
      };
      update.run(JSON.stringify(error), time, time, run.id);
    }
  }).immediate();
  return stale.map((r) => r.id);
}
