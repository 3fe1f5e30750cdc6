import type { datasetsService, DatasetsChanged } from '../../src-shared/contract/datasets';
import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import { startDemoImport } from '../pipeline/demo-dataset';
import { exportAnnotations, exportFolder } from '../store/export-annotations';
import { allowedPath } from '../store/path-access';
import type { WorkspaceContext } from '../pipeline/workspace-context';

export function createDatasetsService(ctx: WorkspaceContext): ServiceImpl<typeof datasetsService> {
  const changed = (id: number, reason: DatasetsChanged['reason']) => ctx.bus.emit('datasets.changed', { id, reason } satisfies DatasetsChanged);
  return {
    list() {
      return ctx.workspace.current.datasets.list();
    },
    get({ id }) {
      return ctx.workspace.current.datasets.get(id);
    },
    create({ name, description, classes }) {
      const dataset = ctx.workspace.current.datasets.create({ name, description, classes });
      changed(dataset.id, 'created');
      return dataset;
    },
    rename({ id, name }) {
      const dataset = ctx.workspace.current.datasets.update(id, { name });
      changed(id, 'renamed');
      return dataset;
    },
    setDescription({ id, description }) {
      const dataset = ctx.workspace.current.datasets.update(id, { description });
      changed(id, 'described');
      return dataset;
    },
    delete({ id, force }) {
      const store = ctx.workspace.current;
      store.datasets.get(id);
      const runs = store.datasets.runCount(id);
      if (runs > 0 && !force) {
        throw new UnetError('CONFLICT', `data set ${id} has ${runs} run(s) in its record; delete with force to remove them too`, { runs });
      }
      if (store.runs.list({ datasetId: id, status: 'running' }).length + store.runs.list({ datasetId: id, status: 'queued' }).length > 0) {
        throw new UnetError('CONFLICT', `data set ${id} has an active run; cancel it first`);
      }
      store.datasets.delete(id);
      changed(id, 'deleted');
      return { id, runsDeleted: runs };
    },
    setClasses({ id, classes }) {
      const result = ctx.workspace.current.datasets.setClasses(id, classes);
      changed(id, 'classes');
      return result;
    },
    openDemo() {
      return startDemoImport(ctx);
    },
    exportAnnotations({ id, format, folder }) {
      const ws = ctx.workspace.current;
      const dataset = ws.datasets.get(id);
      const target = folder ? allowedPath(ctx.isPathAllowed, folder) : exportFolder(ws, dataset.name);
      return ctx.jobs.start({
        kind: 'export-annotations',
        title: `Export annotations of ${dataset.name}`,
        run: (job) => exportAnnotations(job, ws, ctx.io, id, target, format),
      });
    },
  };
}
