import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AnnotationExportResult } from '../../src-shared/contract/datasets';
import type { JobContext } from '../jobs/job-manager';
import type { ImageIo, LabelPixels } from './image-io';
import { fsStoreError } from './store-errors';
import type { Workspace } from './workspace';


function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'dataset';
}

/** Instance ids in the smallest unsigned type that holds them (16-bit is what most tools expect). */
function compactInstances(map: Uint32Array): LabelPixels {
  let max = 0;
  for (let i = 0; i < map.length; i++) if (map[i] > max) max = map[i];
  return max <= 0xffff ? Uint16Array.from(map) : map;
}

/** The export folder: the one given, or a new dated folder under the workspace's exports/. */
export function exportFolder(ws: Workspace, datasetName: string, folder?: string): string {
  if (folder) return path.resolve(folder);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(ws.exportsDir, `${safeName(datasetName)}-annotations-${stamp}`);
}

/**
 * Writes each annotated image's latest version as two label images named after the image:
 * classes/NAME (8-bit class values) and instances/NAME (16-bit ids, 32-bit when needed).
 */
export async function exportAnnotations(
  job: Pick<JobContext<'export-annotations'>, 'progress' | 'throwIfCancelled'>,
  ws: Workspace,
  io: ImageIo,
  datasetId: number,
  folder: string,
  format: 'tiff' | 'png',
): Promise<AnnotationExportResult> {
  const images = ws.images.all(datasetId);
  const ext = format === 'png' ? '.png' : '.tif';
  try {
    mkdirSync(path.join(folder, 'classes'), { recursive: true });
    mkdirSync(path.join(folder, 'instances'), { recursive: true });
  } catch (error) {
    throw fsStoreError(error, `cannot create ${folder}`);
  }
  const used = new Set<string>();
  const result: AnnotationExportResult = { datasetId, folder, written: 0, skipped: 0 };
  job.progress(0, `exporting ${images.length} image(s)`);
  for (let i = 0; i < images.length; i++) {
    await yieldToEventLoop();
    job.throwIfCancelled();
    const image = images[i];
    const annotation = image.annotationVersion > 0 ? ws.annotations.latest(image.id) : null;
    if (!annotation) {
      result.skipped++;
    } else {
      let stem = image.name.replace(/(\.ome)?\.[^.]+$/i, '');
      // Two images of the same name (from different folders) must not overwrite each other.
      if (used.has(stem.toLowerCase())) stem = `${stem}-${image.id}`;
      used.add(stem.toLowerCase());
      const calibration = { pixelSizeUm: image.pixelSizeUm };
      await io.writeLabelImage(path.join(folder, 'classes', stem + ext), annotation.classMap, annotation.width, annotation.height, calibration);
      await io.writeLabelImage(path.join(folder, 'instances', stem + ext), compactInstances(annotation.instanceMap), annotation.width, annotation.height, calibration);
      result.written++;
    }
    job.progress((100 * (i + 1)) / images.length, `${i + 1}/${images.length} ${image.name}`);
  }
  return result;
}
