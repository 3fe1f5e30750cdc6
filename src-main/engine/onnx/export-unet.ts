import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../../src-shared/contract/errors';
import { checkRecordedUpscale } from '../../../src-shared/imaging/enlarge';
import type { UNetMetadata } from '../model-files';
import { readModelTopology, readModelWeights } from './model-weights';
import { encodeOnnxModel } from './onnx-writer';
import { graphStyleFromTopology } from './topology-style';
import { buildUnetOnnxModel, type UnetGraphStyle } from './unet-onnx-graph';

export interface ExportOptions {
  /** ONNX opset, 13..17 (default 17). */
  opset?: number;
}

export interface ExportedUnet {
  bytes: Uint8Array;
  metadata: UNetMetadata;
  style: UnetGraphStyle;
}

/**
 * Reads unet.json without tfjs (model-files.ts loads tfjs at import): inference must run where tfjs
 * is absent or slow to start. Only the fields the export needs are checked here.
 */
export async function readModelMetadataLight(modelDir: string): Promise<UNetMetadata> {
  const file = path.join(modelDir, 'unet.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnetError('NOT_FOUND', `${file} does not exist: not a model folder`, { file });
    if (code) throw new UnetError('IO_ERROR', `cannot read ${file}: ${(error as Error).message}`, { file });
    throw new UnetError('CORRUPT', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  if (!json || json.format !== 'unet-studio-model' || typeof json.architecture !== 'object' || json.architecture === null) {
    throw new UnetError('CORRUPT', `${file} is not a U-Net Studio model description`, { file });
  }
  checkRecordedUpscale(json.upscale, file);
  return json as unknown as UNetMetadata;
}

/** Builds the ONNX bytes of a saved model folder in memory: weights from model.json + weights.bin, no tfjs. */
export async function unetOnnxFromFolder(modelDir: string, options: ExportOptions = {}): Promise<ExportedUnet> {
  const metadata = await readModelMetadataLight(modelDir);
  const [weights, topology] = await Promise.all([readModelWeights(modelDir), readModelTopology(modelDir)]);
  const style = graphStyleFromTopology(topology, metadata.architecture.depth);
  const bytes = encodeOnnxModel(
    buildUnetOnnxModel(metadata.architecture, weights, {
      opset: options.opset,
      style,
      metadata: onnxMetadata(metadata),
    }),
  );
  return { bytes, metadata, style };
}

/**
 * Exports a model folder to one ONNX file: input `input` [N, C, H, W] with symbolic H and W (any legal tile
 * size), output `probabilities` [N, K, H - 2 halo, W - 2 halo] after a softmax over the classes. The image must
 * be normalised as unet.json says (also stored in the file's metadata). Written atomically.
 */
export async function exportUnetToOnnx(modelDir: string, outFile: string, options: ExportOptions = {}): Promise<{ file: string; bytes: number }> {
  const { bytes } = await unetOnnxFromFolder(modelDir, options);
  const tmp = `${outFile}.tmp-${process.pid}`;
  try {
    await mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, outFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOSPC' ? 'DISK_FULL' : 'IO_ERROR', `cannot write ${outFile}: ${(error as Error).message}`, { file: outFile });
  }
  return { file: outFile, bytes: bytes.byteLength };
}

/** What a consumer of the .onnx file needs to use it correctly, as ONNX metadata_props. */
function onnxMetadata(m: UNetMetadata): Record<string, string> {
  const halo = m.tile?.halo;
  return {
    format: 'unet-studio-model',
    architecture: JSON.stringify(m.architecture),
    ...(m.tile ? { tile: JSON.stringify(m.tile) } : {}),
    ...(halo !== undefined ? { halo: String(halo) } : {}),
    classNames: JSON.stringify(m.classNames ?? []),
    normalization: JSON.stringify(m.normalization ?? null),
    layout: 'NCHW; probabilities = softmax over classes; output = input - 2 * halo per side pair',
  };
}
