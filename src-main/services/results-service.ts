import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';
import type { resultsService } from '../../src-shared/contract/results';
import { exportPredictionRois, objectClassOf } from '../pipeline/export-prediction-rois';
import { evaluationsCsv } from '../store/evaluation-csv';
import type { WorkspaceContext } from '../pipeline/workspace-context';

export function createResultsService(ctx: WorkspaceContext): ServiceImpl<typeof resultsService> {
  return {
    predictions({ runId }) {
      return ctx.workspace.current.results.predictions(runId);
    },
    evaluations({ runId, split, metrics }) {
      return ctx.workspace.current.results.evaluations(runId, { split, metrics });
    },
    compare({ runIds, split, metrics }) {
      return ctx.workspace.current.results.compare([...new Set(runIds)], { split, metrics });
    },
    exportCsv({ runIds, split, metrics }) {
      const store = ctx.workspace.current;
      const ids = [...new Set(runIds)];
      const runs = ids.map((id) => ({ id, name: store.runs.summary(id).name, table: store.results.evaluations(id, { split, metrics }) }));
      const columns = metrics ?? [...new Set(runs.flatMap((r) => r.table.metrics))].sort();
      const { csv, rows } = evaluationsCsv(runs, columns);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(store.exportsDir, `results-run-${ids.slice(0, 10).join('-')}-${stamp}.csv`);
      try {
        writeFileSync(file, csv);
      } catch (error) {
        throw new UnetError('IO_ERROR', `cannot write ${file}: ${(error as Error).message}`);
      }
      return { path: file, csv, rows };
    },
    async exportRois({ runId, format }) {
      const store = ctx.workspace.current;
      const run = store.runs.summary(runId);
      const predictions = store.results.predictions(runId);
      if (predictions.length === 0) throw new UnetError('NOT_FOUND', `run ${runId} has no predictions yet: segment images with it first`);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const folder = path.join(store.exportsDir, `rois-run-${runId}-${format}-${stamp}`);
      return exportPredictionRois(ctx.io, predictions, folder, format, objectClassOf(store.datasets.get(run.datasetId).classes));
    },
  };
}
