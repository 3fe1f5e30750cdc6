import type { datasetsService, DatasetsChanged } from '../../src-shared/contract/datasets';
import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import { commonPlaneSizes, describePlane, planeProblem, samePlane } from '../../src-shared/imaging/image-plane';
import { startDemoImport } from '../pipeline/demo-dataset';
import { exportAnnotations, exportFolder } from '../store/export-annotations';
import { allowedPath } from '../store/path-access';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { planeSourcesOf } from '../store/plane-sources';
import { StackAxesCache } from '../store/stack-axes-cache';

export function createDatasetsService(ctx: WorkspaceContext): ServiceImpl<typeof datasetsService> {
  const changed = (id: number, reason: DatasetsChanged['reason']) => ctx.bus.emit('datasets.changed', { id, reason } satisfies DatasetsChanged);
  const stackAxes = new StackAxesCache(ctx.io);
  const planeSources = (id: number, skipUnreadable: boolean) => planeSourcesOf(ctx.workspace.current.images.all(id), stackAxes, { skipUnreadable });
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
    async planeSizes({ id }) {
      ctx.workspace.current.datasets.get(id);
      const sources = [];
      for await (const { source } of planeSources(id, true)) sources.push(source);
      return commonPlaneSizes(sources);
    },
    async setPlane({ id, plane, force }) {
      const store = ctx.workspace.current;
      const dataset = store.datasets.get(id);
      if (samePlane(dataset.plane, plane)) return dataset;
      for await (const { image, source } of planeSources(id, false)) {
        const problem = planeProblem(plane, source);
        if (problem) throw new UnetError('INVALID_ARGUMENT', `${image.name} ${problem}: every image of "${dataset.name}" must have the plane`, { imageId: image.id, plane });
      }
      if (dataset.annotatedCount > 0 && !force) {
        throw new UnetError(
          'CONFLICT',
          `${dataset.annotatedCount} image(s) of "${dataset.name}" were annotated on ${describePlane(dataset.plane)}: their annotations would train and be scored on ${describePlane(plane)} instead`,
          { annotated: dataset.annotatedCount, from: dataset.plane, to: plane },
        );
      }
      const updated = store.datasets.setPlane(id, plane);
      changed(id, 'plane');
      return updated;
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
