import { recordedPlane } from '../../src-shared/imaging/image-plane';
import { UnetError } from '../../src-shared/contract/errors';
import type { RunDetail } from '../../src-shared/contract/records';
import type { Workspace } from '../store/workspace';
import { expectedBackend } from './expected-backend';
import { resumePoint } from './resume-point';
import { runCheckpointsDir } from './run-model';
import { loadTrainingImages, type PlannedItem } from './training-images';
import { launch } from './training-launch';
import type { RecordedConfig, StartedTraining, TrainingPipelineDeps } from './training-pipeline';

/**
 * training.resume: continues an interrupted or cancelled run from its latest checkpoint as a new run
 * (resumedFrom), with the same configuration, normalisation and exact annotation versions.
 */
export async function resumeTrainingRun(deps: TrainingPipelineDeps, runId: number): Promise<StartedTraining> {
  const ws = deps.context.workspace.current;
  const previous = ws.runs.get(runId);
  if (previous.status !== 'interrupted' && previous.status !== 'cancelled' && previous.status !== 'failed') {
    throw new UnetError('CONFLICT', `run ${runId} is ${previous.status}; only interrupted, cancelled or failed runs can be resumed`, { runId });
  }
  const from = await resumePoint(ws, runId);
  if (!from) throw new UnetError('NOT_FOUND', `run ${runId} saved no checkpoint to resume from; start it again`, { runId });
  // Runs recorded before batch normalisation, `keepBest` and the border class existed trained without
  // batch normalisation and a border class and kept the best IoU, whatever the defaults say now.
  const saved = previous.config as unknown as RecordedConfig;
  const recorded: RecordedConfig = { ...saved, batchNorm: saved.batchNorm ?? false, keepBest: saved.keepBest ?? 'iou', borderClass: saved.borderClass ?? false, weightAverage: saved.weightAverage ?? 0 };
  if (!recorded.normalization) throw new UnetError('UNSUPPORTED', `run ${runId} has no recorded normalisation; start a new run instead`, { runId });
  const members = recordedMembers(ws, previous);
  const plan = { train: members.filter((m) => m.split === 'train'), validation: members.filter((m) => m.split === 'validation'), plane: recordedPlane(previous.config) };
  const data = await loadTrainingImages(ws, plan, undefined, recorded.normalization);
  const device = await expectedBackend(deps.compute, recorded.backend);
  return launch(deps, ws, {
    datasetId: previous.datasetId,
    name: `${previous.name} (resumed)`.slice(0, 200),
    recorded,
    members,
    samples: data,
    device,
    resume: { runId, checkpointDir: runCheckpointsDir(ws, from.runId) },
  });
}

/** The images a run trained and validated on, each with the exact annotation version it used. */
function recordedMembers(ws: Workspace, run: RunDetail): PlannedItem[] {
  return run.images
    .filter((m): m is typeof m & { split: 'train' | 'validation'; annotationVersionId: number } => (m.split === 'train' || m.split === 'validation') && m.annotationVersionId !== null)
    .map((m) => {
      const image = ws.images.get(m.imageId);
      return { imageId: m.imageId, name: image.name, path: image.path, width: image.width, height: image.height, split: m.split, annotationVersionId: m.annotationVersionId, annotationVersion: m.annotationVersion ?? 0 };
    });
}
