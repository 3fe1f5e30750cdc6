import type { WorkspaceContext } from './workspace-context';

/**
 * The data set that receives these files: one named `preferredName` holding none but them is reused
 * (files already in it are skipped on import); one holding other images is left alone and a new name
 * ("NAME 2", ...) is taken.
 */
export function datasetForFiles(ctx: Pick<WorkspaceContext, 'workspace' | 'bus'>, preferredName: string, files: ReadonlySet<string>, description: string): { datasetId: number; datasetName: string; created: boolean } {
  const ws = ctx.workspace.current;
  for (let n = 1; ; n++) {
    const datasetName = n === 1 ? preferredName : `${preferredName} ${n}`;
    const existing = ws.datasets.list().find((d) => d.name.toLowerCase() === datasetName.toLowerCase());
    if (!existing) {
      const datasetId = ws.datasets.create({ name: datasetName, description }).id;
      ctx.bus.emit('datasets.changed', { id: datasetId, reason: 'created' });
      return { datasetId, datasetName, created: true };
    }
    if (ws.images.all(existing.id).every((image) => files.has(image.path))) return { datasetId: existing.id, datasetName: existing.name, created: false };
  }
}
