import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { defaultClassColor } from '../../../src-shared/contract/class-colors';
import { toErrorInfo } from '../../../src-shared/contract/errors';
import type { ImportCounts, ImportResult } from '../../../src-shared/contract/images';
import { FIRST_OBJECT_CLASS } from '../../../src-shared/contract/records';
import { hashFile } from '../file-hash';
import type { ImageIo } from '../image-io';
import type { Workspace } from '../workspace';
import type { ImportCandidate } from './find-import-files';
import { maskToAnnotation } from './mask-to-annotation';

export interface ImportDeps {
  ws: Workspace;
  io: ImageIo;
  isPathAllowed: (path: string) => boolean;
}

/** What an import needs of its job: progress with the counts so far, and the cancellation check. */
export interface ImportSteps {
  progress(percent: number, message?: string, counts?: ImportCounts): void;
  throwIfCancelled(): void;
}

/** Largest mask decoded at import (width x height x channels). */
const MASK_MAX_SAMPLES = 16384 * 16384;

/**
 * Adds the candidates to a data set, one file at a time: metadata and content hash of the image,
 * then its mask (if any) converted to annotation version 1, both in one transaction. It yields to
 * the event loop between files and stops at cancellation; what was committed stays.
 */
export async function importImages(
  job: ImportSteps,
  deps: ImportDeps,
  datasetId: number,
  candidates: ImportCandidate[],
  onImported?: (imageId: number) => void,
): Promise<ImportResult> {
  const { ws, io } = deps;
  const result: ImportResult = { datasetId, imported: 0, skipped: 0, annotated: 0, failures: [] };
  job.progress(0, `importing ${candidates.length} file(s)`);
  for (let index = 0; index < candidates.length; index++) {
    await yieldToEventLoop();
    job.throwIfCancelled();
    const { imagePath, maskPath } = candidates[index];
    if (ws.images.findByPath(datasetId, imagePath)) {
      result.skipped++;
    } else {
      try {
        const imported = await importOne(deps, datasetId, imagePath, maskPath, result);
        result.imported++;
        if (imported.annotated) result.annotated++;
        onImported?.(imported.imageId);
      } catch (error) {
        result.failures.push({ path: imagePath, error: toErrorInfo(error).message });
      }
    }
    job.progress((100 * (index + 1)) / candidates.length, `${index + 1}/${candidates.length} ${path.basename(imagePath)}`, {
      done: index + 1,
      total: candidates.length,
      imported: result.imported,
      annotated: result.annotated,
      failed: result.failures.length,
    });
  }
  if (result.imported > 0) ws.datasets.touch(datasetId);
  return result;
}

async function importOne(
  deps: ImportDeps,
  datasetId: number,
  imagePath: string,
  maskPath: string | null,
  result: ImportResult,
): Promise<{ imageId: number; annotated: boolean }> {
  const { ws, io } = deps;
  const [info, meta, contentHash] = await Promise.all([stat(imagePath), io.readImageMetadata(imagePath), hashFile(imagePath)]);
  let annotation: ReturnType<typeof maskToAnnotation> | null = null;
  if (maskPath && deps.isPathAllowed(maskPath)) {
    try {
      const mask = await io.readImage(maskPath, { frame: 0, maxPixels: MASK_MAX_SAMPLES });
      if (mask.width !== meta.width || mask.height !== meta.height) {
        throw new Error(`mask is ${mask.width}x${mask.height}, image is ${meta.width}x${meta.height}`);
      }
      annotation = maskToAnnotation(mask);
    } catch (error) {
      // The image is still worth importing; the mask problem is reported.
      result.failures.push({ path: maskPath, error: toErrorInfo(error).message });
    }
  }
  const pixelSizeUm = meta.pixelSize && meta.pixelSize.unit === 'µm' ? meta.pixelSize.x : null;
  return ws.transaction(() => {
    const image = ws.images.insert({
      datasetId,
      path: imagePath,
      name: path.basename(imagePath),
      size: info.size,
      mtimeMs: info.mtimeMs,
      contentHash,
      width: meta.width,
      height: meta.height,
      frames: meta.frames,
      channels: meta.channels,
      dtype: meta.dtype,
      pixelSizeUm,
    });
    if (annotation) {
      ws.datasets.ensureClass(datasetId, { value: FIRST_OBJECT_CLASS, name: 'foreground', color: defaultClassColor(FIRST_OBJECT_CLASS) });
      ws.annotations.save(image.id, {
        classMap: annotation.classMap,
        instanceMap: annotation.instanceMap,
        baseVersion: 0,
        source: 'import',
        author: 'import',
        message: `from ${maskPath} (${annotation.kind}, ${annotation.instanceCount} objects)`,
      });
    }
    return { imageId: image.id, annotated: annotation !== null };
  });
}
