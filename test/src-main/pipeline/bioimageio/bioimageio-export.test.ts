import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportBioimageio, PACKAGE_FILES } from '../../../../src-main/pipeline/bioimageio/export-bioimageio';
import { importBioimageio, TEST_TOLERANCE } from '../../../../src-main/pipeline/bioimageio/import-bioimageio';
import { decodeNpy } from '../../../../src-main/pipeline/bioimageio/npy';
import { checkModelRdf, RDF_FORMAT_VERSION, REQUIRED_MODEL_FIELDS } from '../../../../src-main/pipeline/bioimageio/rdf';
import {
  BIOIMAGEIO_SCHEMA_FILE,
  bioimageioSchemaAvailable,
  bioimageioSchemaMissing,
  validateBioimageioDescription,
} from '../../../helpers/bioimageio-schema';
import { writeTinyModelFolder } from '../tiny-model-folder';

let dir: string;
let modelDir: string;
let zipFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-bioimageio-'));
  modelDir = path.join(dir, 'model');
  await writeTinyModelFolder(modelDir);
  zipFile = path.join(dir, 'package.zip');
  await exportBioimageio(modelDir, zipFile, { name: 'Tiny nuclei U-Net', authors: [{ name: 'A. Biologist', affiliation: 'Some Lab' }] });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bioimage.io export', () => {
  it('writes a package whose rdf.yaml has every field the 0.5 model spec requires', () => {
    const entries = unzipSync(readFileSync(zipFile));
    for (const file of Object.values(PACKAGE_FILES)) expect(entries[file], file).toBeDefined();
    const rdf = parse(strFromU8(entries['rdf.yaml'])) as Record<string, any>;
    for (const field of REQUIRED_MODEL_FIELDS) expect(rdf[field], field).toBeTruthy();
    expect(checkModelRdf(rdf)).toEqual([]);
    expect(rdf.format_version).toMatch(/^0\.5\.\d+$/);
    expect(rdf.type).toBe('model');
    expect(rdf.cite[0].doi).toBe('10.1007/978-3-319-24574-4_28');
    expect(rdf.authors[0]).toEqual({ name: 'A. Biologist', affiliation: 'Some Lab' });
    expect(rdf.covers).toEqual(['cover.png']);
    expect(Object.keys(rdf.weights).sort()).toEqual(['onnx', 'tensorflow_js']);
    expect(rdf.weights.onnx.opset_version).toBeGreaterThanOrEqual(7);
    // Axes (batch, channel, y, x); depth 2 -> halo 20, so the output is 40 px smaller per axis.
    expect(rdf.inputs[0].axes.map((a: { type: string; id?: string }) => a.id ?? a.type)).toEqual(['batch', 'channel', 'y', 'x']);
    expect(rdf.inputs[0].axes[2].size).toEqual({ min: 44, step: 4 });
    expect(rdf.outputs[0].axes[2].size).toEqual({ tensor_id: 'raw', axis_id: 'y', offset: -40 });
    expect(rdf.outputs[0].axes[1].channel_names).toEqual(['unlabeled', 'background', 'nucleus']);
    // Preprocessing reproduces the recorded normalisation (low 12, high 210).
    const scale = rdf.inputs[0].preprocessing.find((p: { id: string }) => p.id === 'scale_linear');
    expect(12 * scale.kwargs.gain + scale.kwargs.offset).toBeCloseTo(0, 6);
    expect(210 * scale.kwargs.gain + scale.kwargs.offset).toBeCloseTo(1, 6);
  });

  it('stores test tensors whose shapes follow the valid convolutions, and a PNG cover', () => {
    const entries = unzipSync(readFileSync(zipFile));
    const input = decodeNpy(entries['test_input.npy']);
    const output = decodeNpy(entries['test_output.npy']);
    expect(input.shape).toEqual([1, 1, 92, 92]);
    expect(output.shape).toEqual([1, 3, 52, 52]);
    // Softmax over the class axis sums to one at every pixel.
    const plane = 52 * 52;
    for (const p of [0, 777, plane - 1]) expect(output.data[p] + output.data[plane + p] + output.data[2 * plane + p]).toBeCloseTo(1, 5);
    expect(Array.from(entries['cover.png'].subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(strFromU8(entries['README.md'])).toMatch(/## Validation/);
  });

  it('finds an output axis with halo 0, which the spec rejects', () => {
    const rdf = parse(strFromU8(unzipSync(readFileSync(zipFile))['rdf.yaml'])) as Record<string, any>;
    expect(rdf.outputs[0].axes.some((a: Record<string, unknown>) => 'halo' in a)).toBe(false);
    rdf.outputs[0].axes[2].halo = 0;
    expect(checkModelRdf(rdf)).toEqual(['outputs[0].axes[2].halo must be omitted or an integer >= 1']);
  });

  it('finds a description missing required fields', () => {
    expect(checkModelRdf({ format_version: '0.5.3', type: 'model' })).toEqual(
      expect.arrayContaining(['missing name', 'missing authors', 'missing cite', 'missing inputs', 'missing weights']),
    );
    expect(checkModelRdf({ format_version: '0.4.9' })).toContain('format_version 0.4.9 is not 0.5.x');
  });
});

describe('bioimage.io import', () => {
  it('reads the package back and reproduces its test output', async () => {
    const imported = await importBioimageio(zipFile, path.join(dir, 'imported'));
    expect(imported.name).toBe('Tiny nuclei U-Net');
    expect(imported.check.inputShape).toEqual([1, 1, 92, 92]);
    expect(imported.check.maxAbsDifference).toBeLessThanOrEqual(TEST_TOLERANCE);
    const metadata = JSON.parse(readFileSync(path.join(imported.modelDir, 'unet.json'), 'utf8'));
    expect(metadata.normalization.high).toBe(210);
  });

  it('refuses a package whose files do not match their sha256', async () => {
    const entries = unzipSync(readFileSync(zipFile));
    entries['test_output.npy'] = entries['test_output.npy'].slice();
    entries['test_output.npy'][200] ^= 0xff;
    const tampered = path.join(dir, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    await expect(importBioimageio(tampered, path.join(dir, 'tampered'))).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/sha256/) });
  });

  it('refuses a zip without rdf.yaml and packages not made by U-Net Studio', async () => {
    const bare = path.join(dir, 'bare.zip');
    writeFileSync(bare, zipSync({ 'README.md': strToU8('hello') }));
    await expect(importBioimageio(bare, path.join(dir, 'bare'))).rejects.toMatchObject({ code: 'CORRUPT' });
    const entries = unzipSync(readFileSync(zipFile));
    const rdf = parse(strFromU8(entries['rdf.yaml'])) as Record<string, unknown>;
    delete rdf.config;
    entries['rdf.yaml'] = strToU8(JSON.stringify(rdf));
    const foreign = path.join(dir, 'foreign.zip');
    writeFileSync(foreign, zipSync(entries));
    await expect(importBioimageio(foreign, path.join(dir, 'foreign'))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('bioimage.io export of a model normalised per image', () => {
  it('describes scale_range preprocessing and still reproduces its test output on import', async () => {
    const perImageDir = path.join(dir, 'per-image-model');
    await writeTinyModelFolder(perImageDir, 5);
    const metadataFile = path.join(perImageDir, 'unet.json');
    writeFileSync(metadataFile, JSON.stringify({ ...JSON.parse(readFileSync(metadataFile, 'utf8')), normalization: null }));
    const zip = path.join(dir, 'per-image.zip');
    const { rdf } = await exportBioimageio(perImageDir, zip);
    const steps = (rdf.inputs as { preprocessing: { id: string; kwargs: Record<string, unknown> }[] }[])[0].preprocessing;
    expect(steps[1]).toEqual({ id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } });
    expect(checkModelRdf(rdf)).toEqual([]);
    const imported = await importBioimageio(zip, path.join(dir, 'per-image-imported'));
    expect(imported.check.maxAbsDifference).toBeLessThanOrEqual(TEST_TOLERANCE);
  });
});

const schemaSuite = bioimageioSchemaAvailable ? 'bioimage.io export against the official JSON schema' : bioimageioSchemaMissing;
describe.skipIf(!bioimageioSchemaAvailable)(schemaSuite, () => {
  it('writes the newest model 0.5 format version the schema names', () => {
    const schema = JSON.parse(readFileSync(BIOIMAGEIO_SCHEMA_FILE, 'utf8'));
    const versions = Object.keys(schema.discriminator.mapping.model.discriminator.mapping).filter((v) => v.startsWith('0.5.'));
    const newest = versions.sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2])).at(-1);
    expect(RDF_FORMAT_VERSION).toBe(newest);
  });

  it('validates the rdf.yaml of both exports (fixed and per-image normalisation)', async () => {
    const rdf = parse(strFromU8(unzipSync(readFileSync(zipFile))['rdf.yaml']));
    expect(validateBioimageioDescription(rdf)).toEqual({ valid: true, errors: [] });
    const perImage = parse(strFromU8(unzipSync(readFileSync(path.join(dir, 'per-image.zip')))['rdf.yaml']));
    expect(validateBioimageioDescription(perImage)).toEqual({ valid: true, errors: [] });
  });

  it('rejects what the spec rejects: halo 0, an old format version, an unknown axis type', () => {
    const rdf = parse(strFromU8(unzipSync(readFileSync(zipFile))['rdf.yaml'])) as Record<string, any>;
    const withHalo = structuredClone(rdf);
    withHalo.outputs[0].axes[2].halo = 0;
    const result = validateBioimageioDescription(withHalo);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/\/outputs\/0\/axes\/2\/halo must be >= 1/);
    expect(validateBioimageioDescription({ ...rdf, format_version: '0.5.3' }).valid).toBe(false);
    const badAxis = structuredClone(rdf);
    badAxis.inputs[0].axes[1].type = 'colour';
    expect(validateBioimageioDescription(badAxis).valid).toBe(false);
  });
});
