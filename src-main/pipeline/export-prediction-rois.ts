import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';
import { FIRST_OBJECT_CLASS, type ClassDef, type PredictionRecord } from '../../src-shared/contract/records';
import type { RoiExportFormat, RoiSetExport } from '../../src-shared/contract/results';
import { instancesFromBinary } from '../../src-shared/imaging/connected-components';
import type { LabelArray } from '../../src-shared/imaging/types';
import { roiFileName, writeInstanceRois, type InstanceRoiOptions } from '../io/rois/instance-rois';
import type { ImageIo } from '../store/image-io';
import { fileStem } from '../io/image-pairs';

/**
 * Writes the objects of each prediction into `outDir` as an ImageJ ROI set or GeoJSON file named after
 * the image. Instance label files are used as they are; a class map (the workspace's NAME_classes.tif,
 * 1 = background, 2.. = classes) or a 0/255 mask is split into its 4-connected foreground components.
 * A prediction whose file is gone is reported in `skipped`, not fatal.
 */
export async function exportPredictionRois(
  io: ImageIo,
  predictions: readonly PredictionRecord[],
  outDir: string,
  format: RoiExportFormat,
  options: InstanceRoiOptions = {},
): Promise<RoiSetExport> {
  const result: RoiSetExport = { folder: outDir, format, files: [], objects: 0, skipped: [] };
  const used = new Set<string>();
  for (const p of predictions) {
    const imageName = p.imageName ?? path.basename(p.inputPath);
    const source = p.instancesPath ?? p.labelsPath;
    if (!source) {
      result.skipped.push({ imageName, reason: 'no mask was written for this prediction' });
      continue;
    }
    let labels: LabelArray;
    let width: number;
    let height: number;
    try {
      const image = await io.readImage(source);
      if (image.channels !== 1 || image.data instanceof Float32Array || image.data instanceof Int8Array || image.data instanceof Int16Array) {
        throw new UnetError('UNSUPPORTED', `${source} is not a single-channel unsigned label image`);
      }
      ({ width, height } = image);
      labels = p.instancesPath ? (image.data as LabelArray) : foregroundComponents(image.data as LabelArray, width, height, source);
    } catch (error) {
      if (error instanceof UnetError && error.code !== 'INTERNAL') {
        result.skipped.push({ imageName, reason: error.message });
        continue;
      }
      throw error;
    }
    let stem = fileStem(imageName);
    for (let k = 2; used.has(stem.toLowerCase()); k++) stem = `${fileStem(imageName)}-${k}`;
    used.add(stem.toLowerCase());
    const written = await writeInstanceRois(path.join(outDir, roiFileName(stem, format)), format, labels, width, height, options);
    result.files.push({ imageName, path: written.file, objects: written.objects });
    result.objects += written.objects;
  }
  return result;
}

function foregroundComponents(mask: LabelArray, width: number, height: number, source: string): Int32Array {
  // The app's class maps mark background as 1; plain masks (0/255, 0/1) as 0.
  const threshold = /_classes\.tiff?$/i.test(source) ? FIRST_OBJECT_CLASS : 1;
  const foreground = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) foreground[i] = mask[i] >= threshold ? 1 : 0;
  return instancesFromBinary(foreground, width, height, { connectivity: 4 }).labels;
}

/** QuPath class name and colour from a data set's first object class. */
export function objectClassOf(classes: readonly ClassDef[]): InstanceRoiOptions {
  const c = classes.find((k) => k.value === FIRST_OBJECT_CLASS);
  if (!c) return {};
  const hex = /^#?([0-9a-f]{6})$/i.exec(c.color)?.[1];
  const color = hex ? ([0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]) : undefined;
  return { className: c.name, classColor: color };
}
