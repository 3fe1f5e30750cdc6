import { existsSync } from 'node:fs';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import type { DatasetImport, ImagesChanged } from '../../src-shared/contract/images';
import { appRoot } from '../support/app-info';
import { startImportJob } from './import-job';
import type { WorkspaceContext } from './workspace-context';
import { datasetForFiles } from './dataset-for-files';
import { pairFolders, type ImagePair } from '../io/image-pairs';
import { seededHoldOut } from './split-rule';

export const DEMO_DATASET_NAME = 'Demo: DSB 2018 nuclei';

/** Share of the demo's training pairs that validate, and the seed of that hold-out (as `npm run demo` with its default seed). */
export const DEMO_VALIDATION_FRACTION = 0.25;
export const DEMO_SPLIT_SEED = 1;

/** The bundled demo folder: beside the packaged app's resources, else in the source checkout. */
export function defaultDemoDataDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(path.join(packaged, 'demo', 'train'))) return path.join(packaged, 'demo');
  return path.join(appRoot(), 'resources', 'demo');
}

export interface DemoPairs {
  train: ImagePair[];
  test: ImagePair[];
}

/** The demo's image/mask pairs: train/ (trained and validated on) and test/ (held out). */
export async function demoPairs(dataDir = defaultDemoDataDir()): Promise<DemoPairs> {
  const folder = async (part: string) => (await pairFolders(path.join(dataDir, part, 'images'), path.join(dataDir, part, 'masks'))).pairs;
  const [train, test] = await Promise.all([folder('train'), folder('test')]).catch(() => [[], []] as ImagePair[][]);
  if (train.length === 0 || test.length === 0) throw new UnetError('NOT_FOUND', `${dataDir} lacks the demo's train/ and test/ image and mask folders`, { dataDir });
  return { train, test };
}

/**
 * datasets.openDemo: the bundled images and masks imported by the ordinary import job into the demo's
 * data set, then put in their splits (train/validation held out as the command-line demo does, test/
 * in test; an image already in a split keeps it). The files are the app's own, not a caller's path, so browser mode's allowed roots do not
 * apply to them.
 */
export async function startDemoImport(ctx: WorkspaceContext, dataDir = defaultDemoDataDir()): Promise<DatasetImport> {
  const pairs = await demoPairs(dataDir);
  const imagePath = (p: ImagePair) => path.resolve(p.image);
  const all = [...pairs.train, ...pairs.test];
  const { datasetId } = datasetForFiles(ctx, DEMO_DATASET_NAME, new Set(all.map(imagePath)), `The bundled demo: fluorescence nuclei of the Data Science Bowl 2018 (CC0), from ${dataDir}`);
  const { train, validation } = seededHoldOut(pairs.train, DEMO_VALIDATION_FRACTION, DEMO_SPLIT_SEED);
  const job = startImportJob(ctx, {
    datasetId,
    candidates: all.map((p) => ({ imagePath: imagePath(p), maskPath: path.resolve(p.mask) })),
    isPathAllowed: () => true,
    afterImport: (ws) => {
      const ids: number[] = [];
      for (const [split, part] of [['train', train], ['validation', validation], ['test', pairs.test]] as const) {
        // Images the user already put in a split (the demo opened before) keep it.
        const partIds = part.map((p) => ws.images.findByPath(datasetId, imagePath(p))).flatMap((image) => (image && image.split === null ? [image.id] : []));
        if (partIds.length > 0) ws.images.setSplit(partIds, split);
        ids.push(...partIds);
      }
      if (ids.length > 0) ctx.bus.emit('images.changed', { datasetId, ids, reason: 'split' } satisfies ImagesChanged);
    },
  });
  return { dataset: ctx.workspace.current.datasets.get(datasetId), job };
}
