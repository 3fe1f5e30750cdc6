import type { CheckpointRecord } from '../../src-shared/contract/records';
import { nowIso } from './clock';
import type { Db } from './database';
import { finiteOrNull } from './finite-or-null';

export interface NewCheckpoint {
  step: number;
  path: string;
  metricName?: string | null;
  metricValue?: number | null;
}

interface CheckpointRow {
  id: number;
  run_id: number;
  step: number;
  path: string;
  metric_name: string | null;
  metric_value: number | null;
  created_at: string;
}

function toCheckpoint(row: CheckpointRow): CheckpointRecord {
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    path: row.path,
    metricName: row.metric_name,
    metricValue: row.metric_value,
    createdAt: row.created_at,
  };
}

/** The checkpoints a run reported: where training wrote them, at which step, with which score. */
export class RunCheckpoints {
  constructor(private readonly db: Db) {}

  add(runId: number, checkpoint: NewCheckpoint): CheckpointRecord {
    const newId = this.db
      .prepare('INSERT INTO checkpoints (run_id, step, path, metric_name, metric_value, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, checkpoint.step, checkpoint.path, checkpoint.metricName ?? null, finiteOrNull(checkpoint.metricValue), nowIso()).lastInsertRowid;
    return toCheckpoint(this.db.prepare('SELECT * FROM checkpoints WHERE id = ?').get(newId) as CheckpointRow);
  }

  list(runId: number): CheckpointRecord[] {
    return (this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id').all(runId) as CheckpointRow[]).map(toCheckpoint);
  }

  last(runId: number): CheckpointRecord | null {
    const row = this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT 1').get(runId) as CheckpointRow | undefined;
    return row ? toCheckpoint(row) : null;
  }

  count(runId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM checkpoints WHERE run_id = ?').get(runId) as { n: number }).n;
  }
}
