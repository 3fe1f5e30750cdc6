import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import { isFinished } from '../../src-shared/contract/jobs';
import type { workspaceService } from '../../src-shared/contract/workspace';
import { allowedPath } from '../store/path-access';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { describeWorkspace } from '../store/workspace-holder';

export function createWorkspaceService(ctx: WorkspaceContext): ServiceImpl<typeof workspaceService> {
  return {
    current() {
      return describeWorkspace(ctx.workspace.current);
    },
    async open({ path, create }) {
      const dir = allowedPath(ctx.isPathAllowed, path);
      // Filling the thumbnail cache can simply stop; other work on the open workspace must finish first.
      const thumbnails = ctx.jobs.list().filter((job) => job.kind === 'thumbnails' && !isFinished(job.status));
      for (const job of thumbnails) ctx.jobs.cancel(job.id);
      await Promise.all(thumbnails.map((job) => ctx.jobs.wait(job.id)));
      const active = ctx.jobs.list().filter((job) => !isFinished(job.status));
      if (active.length > 0) {
        throw new UnetError('CONFLICT', `finish or cancel the running jobs first (${active.map((j) => j.title).join(', ')})`, { jobIds: active.map((j) => j.id) });
      }
      const info = describeWorkspace(ctx.workspace.open(dir, { create }));
      ctx.bus.emit('workspace.changed', info);
      return info;
    },
  };
}
