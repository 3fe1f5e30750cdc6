import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { writeFloatTiff, writeLabelImage } from '../io/write-image';
import { defaultImageIo } from '../store/default-image-io';
import { fileStem } from '../io/image-pairs';
import type { SegmentedImage } from './segment-file';

/**
 * The mask a user expects from a two-class model: 0 = background, 255 = foreground. With more classes,
 * the class index with background as 0 (1 = first object class, ...).
 */
export function maskFromClassMap(classMap: Uint8Array, numClasses: number): Uint8Array {
  const out = new Uint8Array(classMap.length);
  const binary = numClasses <= 3;
  for (let i = 0; i < classMap.length; i++) {
    const c = classMap[i];
    out[i] = c >= 2 ? (binary ? 255 : c - 1) : 0;
  }
  return out;
}

/** Instance labels as a label image array (renumbered to 16 bits when needed by the writer). */
export function instanceLabels(instances: Int32Array): Uint32Array {
  return new Uint32Array(instances.buffer, instances.byteOffset, instances.length);
}

export interface PredictionPaths {
  labelsPath: string;
  instancesPath: string | null;
  probabilitiesPath: string | null;
}

/**
 * Writes a prediction into `dir` for the workspace record: NAME_classes.tif (class map, 1 = background),
 * NAME_instances.tif (object labels) and NAME_probability.tif (foreground probability, float32).
 */
export async function writeWorkspacePrediction(dir: string, inputName: string, seg: SegmentedImage): Promise<PredictionPaths> {
  await ensureFolder(dir);
  const stem = fileStem(inputName);
  const labelsPath = path.join(dir, `${stem}_classes.tif`);
  const probabilitiesPath = path.join(dir, `${stem}_probability.tif`);
  const instancesPath = seg.instances ? path.join(dir, `${stem}_instances.tif`) : null;
  const calibration = calibrationOf(seg);
  await writeLabelImage(labelsPath, seg.classMap, seg.width, seg.height, calibration);
  await writeFloatTiff(probabilitiesPath, seg.foreground, seg.width, seg.height, 1, calibration);
  if (seg.instances && instancesPath) await defaultImageIo.writeLabelImage(instancesPath, instanceLabels(seg.instances), seg.width, seg.height, { pixelSizeUm: calibration.pixelSize?.x });
  return { labelsPath, instancesPath, probabilitiesPath };
}

export interface MaskOutput {
  maskPath: string;
  probabilityPath: string | null;
}

/**
 * Writes the command line's output for one input: a mask with the input's base name (PNG for PNG
 * inputs, TIFF otherwise), instance labels instead of 0/255 when asked, and optionally the foreground
 * probability as float TIFF under probabilities/.
 */
export async function writeMaskOutput(dir: string, inputFile: string, seg: SegmentedImage, options: { instances: boolean; probabilities: boolean }): Promise<MaskOutput> {
  await ensureFolder(dir);
  const stem = fileStem(inputFile);
  const ext = path.extname(inputFile).toLowerCase() === '.png' ? '.png' : '.tif';
  const maskPath = path.join(dir, `${stem}${ext}`);
  const calibration = calibrationOf(seg);
  if (options.instances && seg.instances) await defaultImageIo.writeLabelImage(maskPath, instanceLabels(seg.instances), seg.width, seg.height, { pixelSizeUm: calibration.pixelSize?.x });
  else await writeLabelImage(maskPath, maskFromClassMap(seg.classMap, seg.numClasses), seg.width, seg.height, calibration);
  let probabilityPath: string | null = null;
  if (options.probabilities) {
    const probDir = path.join(dir, 'probabilities');
    await ensureFolder(probDir);
    probabilityPath = path.join(probDir, `${stem}.tif`);
    await writeFloatTiff(probabilityPath, seg.foreground, seg.width, seg.height, 1, calibration);
  }
  return { maskPath, probabilityPath };
}

/** The input's pixel size when it is in µm (instance labels carry its x size: ImageJ calibrates square pixels). */
function calibrationOf(seg: SegmentedImage): { pixelSize?: { x: number; y: number; unit: string } } {
  const p = seg.pixelSize;
  return p && p.unit === 'µm' && p.x > 0 && p.y > 0 ? { pixelSize: { x: p.x, y: p.y, unit: 'µm' } } : {};
}

async function ensureFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UnetError('IO_ERROR', `cannot create ${dir}: ${(error as Error).message}`, { path: dir });
  }
}
