import { existsSync } from 'node:fs';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { ImportedStartingModel } from '../../src-shared/contract/training';
import { allowedPath } from '../store/path-access';
import { importBioimageio, TEST_TOLERANCE } from './bioimageio/import-bioimageio';
import { importedModelsDir, listStartingModels } from './starting-models-list';
import type { WorkspaceContext } from './workspace-context';

/**
 * Imports a bioimage.io package exported by U-Net Studio into the workspace's models/imported/NAME (a
 * new folder: NAME-2, ... when taken), checked on its own test tensors, as a model runs can start from.
 */
export async function importStartingModel(ctx: WorkspaceContext, zipPath: string): Promise<ImportedStartingModel> {
  const file = allowedPath(ctx.isPathAllowed, zipPath);
  const ws = ctx.workspace.current;
  const base = path.basename(file).replace(/\.zip$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'model';
  let dest = path.join(importedModelsDir(ws), base);
  for (let k = 2; existsSync(dest); k++) dest = path.join(importedModelsDir(ws), `${base}-${k}`);
  const imported = await importBioimageio(file, dest);
  const model = (await listStartingModels(ws)).find((m) => m.init === dest);
  if (!model) throw new UnetError('CORRUPT', `${file} was imported into ${dest}, but its model cannot be read back`, { path: dest });
  return { model, maxAbsDifference: imported.check.maxAbsDifference, ok: imported.check.maxAbsDifference <= TEST_TOLERANCE };
}
