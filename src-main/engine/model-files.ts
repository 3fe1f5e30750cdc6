import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UnetError } from '../../src-shared/contract/errors';
import type { CalibratedInstances, ModelBaseline, Upscale } from '../../src-shared/contract/training';
import { checkRecordedUpscale } from '../../src-shared/imaging/enlarge';
import type { NormalizationParams } from '../../src-shared/imaging/normalization';
import { isProcessAlive } from '../io/process-alive';
import type { InstanceOptions } from './inference/instance-postprocess';
import type { UNetArchitecture } from './unet-architecture';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const METADATA_JSON = 'unet.json';
export const METADATA_FORMAT = 'unet-studio-model';
export const METADATA_VERSION = 1;

/** What a model folder says about itself besides the weights (unet.json). */
export interface UNetMetadata {
  format: typeof METADATA_FORMAT;
  formatVersion: number;
  architecture: UNetArchitecture;
  /** Square tiles: the network sees `input`, predicts the centre `output`; halo = (input - output) / 2. */
  tile: { input: number; output: number; halo: number };
  /** Name of every class index 0..numClasses-1 (index 0 is "unlabeled"). */
  classNames: string[];
  /**
   * The class the model predicts for the objects' borders (the last), when it was trained with one:
   * segmentation counts it as object, and grows objects from their interiors.
   */
  borderClass?: number;
  /**
   * The model was trained on images enlarged this many times (bilinear; absent: 1), or each by the size of
   * its objects ('auto'): segmentation enlarges each image the same way (for 'auto', by the objects of a
   * first segmentation) and brings the probabilities back to the image's size.
   */
  upscale?: Upscale;
  /** How raw images were scaled before training; apply the same before inference. */
  normalization: NormalizationParams | null;
  /**
   * With per-image normalisation: the training images mixed bright and dark backgrounds, and the
   * bright-background ones were inverted; inference inverts such images too.
   */
  invertBrightBackground?: boolean;
  training: {
    step: number;
    /** Hash of the training data (ids, sizes, annotation versions) and of the resolved config. */
    dataHash: string;
    configHash: string;
    /** Training backend that produced the weights, e.g. 'wasm'. */
    backend: string;
    validation?: { loss: number; iou: number; step: number };
  };
  versions: Record<string, string>;
  createdAt: string;
  /**
   * The instance post-processing chosen after training on the run's validation images (and training images beside them); what
   * `segment --instances`, the Results view and the demo use unless told otherwise.
   */
  instancePostprocessing?: CalibratedInstances;
  /** The Otsu baseline as fit to the training annotations: which side of the threshold is foreground. */
  baseline?: ModelBaseline;
  /**
   * The training images' pixel noise (median of Immerkær's estimate, in normalised units): segmentation
   * smooths a clearly noisier image down to it (src-shared/imaging/noise-level).
   */
  trainingNoise?: { sigma: number; images: number };
}

export type { CalibratedInstances };

/** The classes a model predicts for the data (0 unlabelled, 1 background, 2..), its border class aside. */
export function modelDataClasses(metadata: Pick<UNetMetadata, 'architecture' | 'borderClass'>): number {
  return metadata.borderClass ?? metadata.architecture.numClasses;
}

export interface LoadedModel {
  model: tfl.LayersModel;
  metadata: UNetMetadata;
}

/** Extra files written next to the model (e.g. optimizer state of a checkpoint), name -> bytes or JSON. */
export type ExtraFiles = Record<string, Uint8Array | object>;

/**
 * Writes a model folder: model.json + weights.bin (the standard tfjs layers format, one shard) and
 * unet.json. Everything is written into a sibling temp folder first and renamed into place, so a crash
 * leaves either the old folder or the new one, never half of one.
 */
export async function saveModelFolder(dir: string, model: tfl.LayersModel, metadata: UNetMetadata, extra: ExtraFiles = {}): Promise<void> {
  const artifacts = await captureArtifacts(model);
  const weightData = joinWeightData(artifacts.weightData);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  const files: Array<[string, Uint8Array | string]> = [
    [MODEL_JSON, JSON.stringify(modelJson)],
    [WEIGHTS_BIN, new Uint8Array(weightData)],
    [METADATA_JSON, JSON.stringify(metadata, null, 2)],
  ];
  for (const [name, content] of Object.entries(extra)) {
    files.push([name, content instanceof Uint8Array ? content : JSON.stringify(content)]);
  }
  await writeFolderAtomically(dir, files);
}

export async function loadModelFolder(dir: string): Promise<LoadedModel> {
  await recoverInterruptedSave(dir);
  const metadata = await readMetadata(dir);
  const modelJson = await readJson(path.join(dir, MODEL_JSON));
  const manifest = modelJson.weightsManifest as Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> | undefined;
  if (!Array.isArray(manifest) || modelJson.modelTopology === undefined) {
    throw new UnetError('CORRUPT', `${path.join(dir, MODEL_JSON)} has no modelTopology or weightsManifest`, { dir });
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(await readBytes(path.join(dir, p)));
  }
  const weightData = concatBytes(buffers);
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (expected !== weightData.byteLength) {
    throw new UnetError('CORRUPT', `weights in ${dir} hold ${weightData.byteLength} bytes, the manifest describes ${expected}`, { dir });
  }
  try {
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology as object, weightSpecs: specs, weightData: weightData.buffer as ArrayBuffer }),
    );
    return { model, metadata };
  } catch (error) {
    throw new UnetError('CORRUPT', `cannot load the model in ${dir}: ${(error as Error).message}`, { dir });
  }
}

export async function readMetadata(dir: string): Promise<UNetMetadata> {
  const json = await readJson(path.join(dir, METADATA_JSON));
  if (json.format !== METADATA_FORMAT || typeof json.formatVersion !== 'number') {
    throw new UnetError('CORRUPT', `${path.join(dir, METADATA_JSON)} is not a U-Net Studio model description`, { dir });
  }
  if (json.formatVersion > METADATA_VERSION) {
    throw new UnetError('UNSUPPORTED', `model format version ${json.formatVersion} is newer than this app understands (${METADATA_VERSION})`, {
      dir,
    });
  }
  const metadata = json as unknown as UNetMetadata;
  // A border class is the last class, after background and at least one foreground class.
  const border = metadata.borderClass;
  const classes = metadata.architecture?.numClasses;
  if (border !== undefined && !(Number.isInteger(border) && border >= 3 && border === classes - 1)) {
    throw new UnetError('CORRUPT', `${path.join(dir, METADATA_JSON)}: borderClass ${String(border)} is not the last of the model's ${String(classes)} classes after a foreground class`, { dir });
  }
  checkRecordedUpscale(metadata.upscale, path.join(dir, METADATA_JSON));
  return metadata;
}

/** Reads a JSON file of a model folder, with typed errors. */
export async function readJson(file: string): Promise<Record<string, unknown>> {
  const text = new TextDecoder().decode(await readBytes(file));
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object') throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UnetError('CORRUPT', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
}

export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
}

/**
 * A process killed while writing leaves its `.NAME.tmp-PID-*` folder behind (as large as a
 * checkpoint). Remove those whose writer is no longer alive; never touch a live writer's folder.
 */
export async function removeAbandonedTemporaries(parent: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-\\d+$`);
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Writes files into `dir` via a temp sibling and a rename; an existing `dir` is replaced. */
export async function writeFolderAtomically(dir: string, files: Array<[string, Uint8Array | string]>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}-${Date.now()}`);
  const old = path.join(parent, `.${base}.old-${process.pid}-${Date.now()}`);
  try {
    await removeAbandonedTemporaries(parent, base);
    await mkdir(tmp, { recursive: true });
    for (const [name, content] of files) await writeFile(path.join(tmp, name), content);
    // rename() cannot replace a non-empty directory: move the old one aside first, then drop it.
    let hadOld = false;
    try {
      await rename(dir, old);
      hadOld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(tmp, dir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOSPC' ? 'DISK_FULL' : 'IO_ERROR', `cannot write model folder ${dir}: ${(error as Error).message}`, {
      dir,
    });
  }
}

/**
 * A crash between the two renames of `writeFolderAtomically` leaves the previous folder under its
 * `.NAME.old-*` name and nothing at `dir`: put it back.
 */
export async function recoverInterruptedSave(dir: string): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  try {
    await stat(dir);
    return;
  } catch {
    // missing: look for a set-aside copy below
  }
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const old = names.filter((n) => n.startsWith(`.${base}.old-`)).sort();
  if (old.length > 0) await rename(path.join(parent, old[old.length - 1]), dir).catch(() => undefined);
}

async function captureArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new UnetError('INTERNAL', 'tfjs did not hand over the model artifacts');
  return captured;
}

function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return tf.io.CompositeArrayBuffer.join(data);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
