import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Workspace } from '../store/workspace';
import type { SegmentedOutput } from './segment-files';
import { PROVENANCE_FILE, type RunProvenance } from './train-from-folders';

/** The run a model folder came from, when it was written by `train` (run.json). */
export async function readProvenance(modelDir: string): Promise<RunProvenance | null> {
  try {
    return JSON.parse(await readFile(path.join(modelDir, PROVENANCE_FILE), 'utf8')) as RunProvenance;
  } catch {
    return null;
  }
}

/**
 * Records files segmented on the command line as predictions of the model's run, when the workspace
 * holds that run (same id, creation time and seed: a copy of the training workspace, e.g. one per
 * cluster task, qualifies). Returns the run id, or null with the reason when nothing was recorded.
 * A workspace that does not exist is not created.
 */
export async function recordPredictions(workspaceDir: string, modelDir: string, outputs: SegmentedOutput[], masksAreInstances: boolean): Promise<{ runId: number | null; reason?: string }> {
  const provenance = await readProvenance(modelDir);
  if (!provenance) return { runId: null, reason: `${modelDir} has no ${PROVENANCE_FILE} (not written by "unet-studio train")` };
  let ws: Workspace;
  try {
    ws = Workspace.open(workspaceDir, { create: false });
  } catch (error) {
    return { runId: null, reason: (error as Error).message };
  }
  try {
    const run = ws.runs.find(provenance.runId);
    if (!run || run.createdAt !== provenance.runCreatedAt || run.seed !== provenance.seed) {
      return { runId: null, reason: `workspace ${ws.path} does not hold run ${provenance.runId} of ${provenance.workspace}` };
    }
    ws.transaction(() => {
      for (const o of outputs) {
        ws.results.addPrediction(run.id, {
          imageId: null,
          inputPath: o.input,
          labelsPath: masksAreInstances ? null : o.mask,
          instancesPath: masksAreInstances ? o.mask : null,
          probabilitiesPath: o.probability,
        });
      }
    });
    return { runId: run.id };
  } finally {
    ws.close();
  }
}
