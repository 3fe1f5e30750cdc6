import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { UnetError } from '../../../src-shared/contract/errors';
import { computePercentileNormalization } from '../../../src-shared/imaging/normalization';
import { openUnetRunner } from '../../engine/inference/open-runner';
import { METADATA_JSON, MODEL_JSON, WEIGHTS_BIN, writeFolderAtomically, type UNetMetadata } from '../../engine/model-files';
import { decodeNpy } from './npy';
import { assertModelRdf } from './rdf';

export interface BioimageioImport {
  modelDir: string;
  name: string;
  rdf: Record<string, unknown>;
  /** The imported model run on the package's test input, compared with its test output. */
  check: { maxAbsDifference: number; inputShape: number[]; outputShape: number[]; runner: string };
}

/** Outputs of the same model on the same input agree to float32 rounding; more means it is not the same. */
export const TEST_TOLERANCE = 1e-3;

type Entries = Record<string, Uint8Array>;

/**
 * Reads a bioimage.io model package written by U-Net Studio: checks rdf.yaml and every file's sha256,
 * unpacks the tfjs weights with the model description into `destDir` (plus the ONNX file), then
 * segments the package's test input with the imported model and reports the largest difference from
 * its test output.
 */
export async function importBioimageio(zipFile: string, destDir: string): Promise<BioimageioImport> {
  const entries = readZip(await readZipFile(zipFile), zipFile);
  const rdfName = Object.keys(entries).find((n) => n === 'rdf.yaml' || n === 'bioimageio.yaml' || n.endsWith('.rdf.yaml'));
  if (!rdfName) throw new UnetError('CORRUPT', `${zipFile} has no rdf.yaml: not a bioimage.io package`);
  let rdf: unknown;
  try {
    rdf = parse(new TextDecoder().decode(entries[rdfName]));
  } catch (error) {
    throw new UnetError('CORRUPT', `${rdfName} in ${zipFile} is not valid YAML: ${(error as Error).message}`);
  }
  assertModelRdf(rdf, `${rdfName} in ${zipFile}`);
  const weights = rdf.weights as Record<string, { source: string; sha256?: string }>;
  const metadata = (rdf.config as Record<string, Record<string, unknown>> | undefined)?.['unet-studio']?.metadata as UNetMetadata | undefined;
  if (!metadata || !weights.tensorflow_js) {
    throw new UnetError('UNSUPPORTED', `${zipFile} was not exported by U-Net Studio (no config.unet-studio and tensorflow_js weights); only those packages can be imported`);
  }
  const fileOf = (descr: { source: string; sha256?: string }, what: string): Uint8Array => {
    const bytes = entries[descr.source];
    if (!bytes) throw new UnetError('CORRUPT', `${zipFile} lacks ${descr.source} (${what})`);
    if (descr.sha256 && createHash('sha256').update(bytes).digest('hex') !== descr.sha256) throw new UnetError('CORRUPT', `${descr.source} in ${zipFile} does not match its sha256`);
    return bytes;
  };
  const tfjs = readZip(fileOf(weights.tensorflow_js, 'tensorflow_js weights'), weights.tensorflow_js.source);
  if (!tfjs[MODEL_JSON] || !tfjs[WEIGHTS_BIN]) throw new UnetError('CORRUPT', `${weights.tensorflow_js.source} must hold ${MODEL_JSON} and ${WEIGHTS_BIN}`);
  const files: Array<[string, Uint8Array | string]> = [
    [MODEL_JSON, tfjs[MODEL_JSON]],
    [WEIGHTS_BIN, tfjs[WEIGHTS_BIN]],
    [METADATA_JSON, JSON.stringify(metadata, null, 2)],
  ];
  if (weights.onnx) files.push(['model.onnx', fileOf(weights.onnx, 'onnx weights')]);
  await writeFolderAtomically(destDir, files);

  const input = (rdf.inputs as Record<string, unknown>[])[0];
  const output = (rdf.outputs as Record<string, unknown>[])[0];
  const testIn = decodeNpy(fileOf(input.test_tensor as { source: string; sha256?: string }, 'test input'));
  const testOut = decodeNpy(fileOf(output.test_tensor as { source: string; sha256?: string }, 'test output'));
  const check = await runTestTensors(destDir, input, testIn, testOut);
  return { modelDir: destDir, name: String(rdf.name), rdf, check };
}

async function runTestTensors(
  modelDir: string,
  input: Record<string, unknown>,
  testIn: ReturnType<typeof decodeNpy>,
  testOut: ReturnType<typeof decodeNpy>,
): Promise<BioimageioImport['check']> {
  const [batch, channels, height, width] = testIn.shape;
  if (testIn.shape.length !== 4 || batch !== 1 || height !== width) {
    throw new UnetError('UNSUPPORTED', `test input of shape [${testIn.shape.join(', ')}]: expected [1, C, n, n]`);
  }
  const x = Float32Array.from(testIn.data);
  // Apply the package's own preprocessing, as any consumer would.
  for (const step of (input.preprocessing as { id: string; kwargs?: Record<string, number> }[] | undefined) ?? []) {
    if (step.id === 'scale_linear') {
      const gain = step.kwargs?.gain ?? 1;
      const offset = step.kwargs?.offset ?? 0;
      for (let i = 0; i < x.length; i++) x[i] = x[i] * gain + offset;
    } else if (step.id === 'scale_range') {
      // Percentiles of the sample itself (one channel here), as bioimage.io consumers compute them.
      const { low, high } = computePercentileNormalization(x, step.kwargs?.min_percentile ?? 0, step.kwargs?.max_percentile ?? 100);
      const scale = 1 / (high - low + (step.kwargs?.eps ?? 1e-6));
      for (let i = 0; i < x.length; i++) x[i] = (x[i] - low) * scale;
    } else if (step.id !== 'ensure_dtype') {
      throw new UnetError('UNSUPPORTED', `preprocessing "${step.id}" is not supported`);
    }
  }
  const opened = await openUnetRunner(modelDir);
  try {
    if (opened.runner.inChannels !== channels) throw new UnetError('CORRUPT', `test input has ${channels} channel(s), the model takes ${opened.runner.inChannels}`);
    const result = await opened.runner.runTile(x, height);
    if (result.length !== testOut.data.length) throw new UnetError('CORRUPT', `the model gives ${result.length} values for the test input, the test output holds ${testOut.data.length}`);
    let maxAbsDifference = 0;
    for (let i = 0; i < result.length; i++) maxAbsDifference = Math.max(maxAbsDifference, Math.abs(result[i] - testOut.data[i]));
    return { maxAbsDifference, inputShape: testIn.shape, outputShape: testOut.shape, runner: opened.runner.description };
  } finally {
    await opened.runner.dispose();
  }
}

async function readZipFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
}

/** Unzips in memory; entry names that would leave the package (absolute, ..) are refused. */
function readZip(bytes: Uint8Array, where: string): Entries {
  let entries: Entries;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new UnetError('CORRUPT', `${where} is not a readable zip archive: ${(error as Error).message}`);
  }
  for (const name of Object.keys(entries)) {
    const normal = path.posix.normalize(name);
    if (path.posix.isAbsolute(normal) || normal.startsWith('..')) throw new UnetError('CORRUPT', `${where} contains an unsafe path: ${name}`);
  }
  return entries;
}
