import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FIRST_OBJECT_CLASS } from '../../src-shared/contract/records';
import type { StartingModelInfo } from '../../src-shared/contract/training';
import type { Workspace } from '../store/workspace';
import { resolveStartingModel, starterModelNames, starterModelsDir, type StartingModel, type StartingModelSource } from './starting-model';

/** Where `unet-studio import-model` puts the bioimage.io packages it imports, by default. */
export function importedModelsDir(ws: Workspace): string {
  return path.join(ws.modelsDir, 'imported');
}

/**
 * The models a run can start from, as the Train view lists them: succeeded runs that left a model
 * (newest first), models imported into the workspace, then the starter models. A model whose files
 * cannot be read is left out rather than failing the list.
 */
export async function listStartingModels(ws: Workspace, startersDir = starterModelsDir()): Promise<StartingModelInfo[]> {
  const candidates: { kind: StartingModelInfo['kind']; source: StartingModelSource; init: string; datasetId?: number; label?: string }[] = [];
  for (const run of ws.runs.list({ status: 'succeeded', limit: 1000 })) {
    candidates.push({ kind: 'run', source: { kind: 'run', runId: run.id }, init: `run:${run.id}`, datasetId: run.datasetId });
  }
  const imported = importedModelsDir(ws);
  if (existsSync(imported)) {
    for (const entry of readdirSync(imported, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = path.join(imported, entry.name);
      candidates.push({ kind: 'imported', source: { kind: 'model', dir }, init: dir, label: `imported ${entry.name}` });
    }
  }
  for (const name of starterModelNames(startersDir)) candidates.push({ kind: 'starter', source: { kind: 'starter', name }, init: `starter:${name}` });
  const found = await Promise.all(
    candidates.map(async (candidate) => {
      let model: StartingModel;
      try {
        model = await resolveStartingModel(ws, candidate.source, startersDir);
      } catch {
        return null;
      }
      const { architecture, tile, classNames, training } = model.metadata;
      const info: StartingModelInfo = {
        init: candidate.init,
        kind: candidate.kind,
        label: candidate.label ?? model.label,
        depth: architecture.depth,
        baseChannels: architecture.baseChannels,
        tile: tile.input,
        classNames: classNames.slice(FIRST_OBJECT_CLASS),
        ...(model.metadata.upscale !== undefined ? { upscale: model.metadata.upscale } : {}),
        step: training.step,
        validationIou: training.validation?.iou ?? null,
        ...(candidate.datasetId !== undefined ? { datasetId: candidate.datasetId } : {}),
      };
      return info;
    }),
  );
  return found.filter((m): m is StartingModelInfo => m !== null);
}
