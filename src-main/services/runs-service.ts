import type { ServiceImpl } from '../../src-shared/contract/define';
import type { runsService } from '../../src-shared/contract/runs';
import { interruptedRuns } from '../pipeline/resume-point';
import type { WorkspaceContext } from '../pipeline/workspace-context';

export function createRunsService(ctx: WorkspaceContext): ServiceImpl<typeof runsService> {
  return {
    list({ datasetId, status, offset, limit }) {
      return ctx.workspace.current.runs.list({ datasetId, status, offset, limit });
    },
    get({ id }) {
      return ctx.workspace.current.runs.get(id);
    },
    curves({ id, fromStep, maxPoints }) {
      return ctx.workspace.current.runs.curves(id, { fromStep, maxPoints });
    },
    checkpoints({ id }) {
      return ctx.workspace.current.runs.checkpoints(id);
    },
    interrupted() {
      return interruptedRuns(ctx.workspace.current);
    },
    update({ id, name, notes }) {
      const run = ctx.workspace.current.runs.update(id, { name, notes });
      ctx.bus.emit('runs.changed', { id, status: run.status, reason: 'updated' });
      return run;
    },
    delete({ id }) {
      const store = ctx.workspace.current;
      const run = store.runs.summary(id);
      store.runs.delete(id);
      ctx.bus.emit('runs.changed', { id, status: run.status, reason: 'deleted' });
      return { deleted: 1 };
    },
  };
}
