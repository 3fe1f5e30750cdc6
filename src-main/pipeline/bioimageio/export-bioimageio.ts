import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { stringify } from 'yaml';
import { UnetError } from '../../../src-shared/contract/errors';
import type { NormalizationParams } from '../../../src-shared/imaging/normalization';
import { createOrtRunner } from '../../engine/inference/ort-runner';
import { MODEL_JSON, modelDataClasses, WEIGHTS_BIN } from '../../engine/model-files';
import { unetOnnxFromFolder } from '../../engine/onnx/export-unet';
import { tfjsVersion } from '../../engine/versions';
import { packageInfo } from '../../support/app-info';
import { coverImage, foregroundOf } from './cover-image';
import { modelReadme } from './model-readme';
import { encodeNpy } from './npy';
import { assertModelRdf, buildModelRdf } from './rdf';
import { computeTestTensors, testInputTile, testTileSize } from './test-tensors';
import { writeFileAtomically } from '../../io/write-atomically';

export const PACKAGE_FILES = {
  rdf: 'rdf.yaml',
  readme: 'README.md',
  cover: 'cover.png',
  onnx: 'weights/model.onnx',
  tfjs: 'weights/tfjs-model.zip',
  testInput: 'test_input.npy',
  testOutput: 'test_output.npy',
} as const;

export const ONNX_OPSET = 17;

export interface BioimageioExportOptions {
  name?: string;
  description?: string;
  authors?: { name: string; affiliation?: string }[];
  /** SPDX licence id of the weights (default CC-BY-4.0, the bioimage.io default for models). */
  license?: string;
  tags?: string[];
  /** Raw gray pixels of an image like those the model was trained on, for the test tensors and cover. */
  sample?: { data: Float32Array; width: number; height: number };
}

export interface BioimageioExport {
  file: string;
  bytes: number;
  rdf: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Packs a model folder as a bioimage.io model (description format 0.5): rdf.yaml, ONNX weights (what
 * ilastik, deepImageJ and bioimage.io tools run) and the original tfjs weights, test tensors computed
 * with ONNX Runtime, a cover image and a README, zipped into `outFile`.
 */
export async function exportBioimageio(modelDir: string, outFile: string, options: BioimageioExportOptions = {}): Promise<BioimageioExport> {
  const { bytes: onnx, metadata } = await unetOnnxFromFolder(modelDir, { opset: ONNX_OPSET });
  const arch = metadata.architecture;
  if (arch.inChannels !== 1) throw new UnetError('UNSUPPORTED', `only single-channel models can be exported for now (this one has ${arch.inChannels})`);
  const normalization: NormalizationParams | null = metadata.normalization;
  const tfjsZip = zipSync({ [MODEL_JSON]: await readModelFile(modelDir, MODEL_JSON), [WEIGHTS_BIN]: await readModelFile(modelDir, WEIGHTS_BIN) });

  const runner = await createOrtRunner(onnx, arch, { provider: 'cpu' });
  let tensors;
  try {
    const size = testTileSize(arch.depth, metadata.tile?.input);
    tensors = await computeTestTensors(runner, testInputTile(size, normalization, options.sample), size, normalization);
  } finally {
    await runner.dispose();
  }
  const files: Record<string, Uint8Array> = {
    [PACKAGE_FILES.onnx]: onnx,
    [PACKAGE_FILES.tfjs]: tfjsZip,
    [PACKAGE_FILES.testInput]: encodeNpy({ shape: tensors.inputShape, data: tensors.input }),
    [PACKAGE_FILES.testOutput]: encodeNpy({ shape: tensors.outputShape, data: tensors.output }),
    [PACKAGE_FILES.cover]: coverImage(tensors.input, tensors.size, foregroundOf(tensors.output, arch.numClasses, tensors.outSize), tensors.outSize),
  };
  const name = options.name ?? `U-Net ${path.basename(path.resolve(modelDir))}`;
  const description = options.description ?? `U-Net segmentation of ${metadata.classNames.slice(2, modelDataClasses(metadata)).join(', ') || 'foreground'} from background, trained with U-Net Studio.`;
  files[PACKAGE_FILES.readme] = new TextEncoder().encode(modelReadme(name, description, metadata));
  const file = (key: keyof typeof PACKAGE_FILES) => ({ source: PACKAGE_FILES[key], sha256: sha256(files[PACKAGE_FILES[key]]) });
  const rdf = buildModelRdf({
    name,
    description,
    authors: options.authors ?? [{ name: 'U-Net Studio user' }],
    license: options.license ?? 'CC-BY-4.0',
    tags: options.tags ?? ['unet', 'segmentation', '2d', 'microscopy', 'onnx', 'tensorflow-js', 'unet-studio'],
    depth: arch.depth,
    inChannels: arch.inChannels,
    numClasses: arch.numClasses,
    classNames: metadata.classNames.map(identifier),
    normalization,
    testTile: tensors.size,
    files: {
      documentation: PACKAGE_FILES.readme,
      covers: [PACKAGE_FILES.cover],
      onnx: file('onnx'),
      tensorflowJs: file('tfjs'),
      testInput: file('testInput'),
      testOutput: file('testOutput'),
    },
    opsetVersion: ONNX_OPSET,
    tensorflowVersion: metadata.versions?.tfjs ?? metadata.versions?.['tfjs-core'] ?? tfjsVersion(),
    // The calibrated instance post-processing, where other tools look for it (it is also in metadata).
    config: { metadata, instancePostprocessing: metadata.instancePostprocessing?.options ?? null, exportedBy: `${packageInfo().name} ${packageInfo().version}` },
    timestamp: new Date().toISOString(),
  });
  assertModelRdf(rdf, 'the generated rdf.yaml');
  files[PACKAGE_FILES.rdf] = new TextEncoder().encode(stringify(rdf, { lineWidth: 0 }));
  const zip = zipSync(files, { level: 6 });
  await writeFileAtomically(outFile, zip, { makeFolder: true });
  return { file: outFile, bytes: zip.byteLength, rdf };
}

/** Channel names must be identifiers in the spec: "cell nucleus" -> "cell_nucleus". */
function identifier(name: string): string {
  const id = name.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(id) ? id : `c_${id}`;
}

async function readModelFile(dir: string, name: string): Promise<Uint8Array> {
  try {
    return await readFile(path.join(dir, name));
  } catch (error) {
    throw new UnetError('NOT_FOUND', `${path.join(dir, name)}: ${(error as Error).message}`);
  }
}

