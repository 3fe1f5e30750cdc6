import path from 'node:path';
import { LATEST } from '../engine/checkpoint';
import { readMetadata, recoverInterruptedSave } from '../engine/model-files';

/**
 * A run's `latest` checkpoint as the engine left it on disk, which is what a resume loads. After the
 * engine process was killed this can be ahead of the record (the kill came between the write and its
 * report), or set aside under `.latest.old-*` (the kill came between the two renames of the write):
 * the latter is put back here. Call it only when no engine is writing this run.
 */
export async function latestCheckpointOnDisk(checkpointsDir: string): Promise<{ dir: string; step: number } | null> {
  const dir = path.join(checkpointsDir, LATEST);
  await recoverInterruptedSave(dir);
  const metadata = await readMetadata(dir).catch(() => null);
  return metadata ? { dir, step: metadata.training.step } : null;
}
