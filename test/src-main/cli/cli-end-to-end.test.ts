import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readMetadata } from '../../../src-main/engine/model-files';
import { readImage } from '../../../src-main/io/read-image';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { createRng } from '../../../src-shared/imaging/rng';
import { Workspace } from '../../../src-main/store/workspace';
import { bioimageioSchemaAvailable, bioimageioSchemaMissing, validateBioimageioDescription } from '../../helpers/bioimageio-schema';
import { decodeRoiSet, geoJsonRings, objectIou } from '../../helpers/imagej-roi-reader';
import { fillPolygonRings } from '../../../src-shared/imaging/polygon-fill';
import { buildStackTiff, omeXml, stackPages } from '../../helpers/stack-tiff';
import { toGray } from '../../../src-main/io/image-convert';
import { stackFrameIndex } from '../../../src-shared/imaging/stack-axes';
import { writeBlobFolders } from '../pipeline/blob-folders';
import { cli } from './cli-io';

let dir: string;
let data: { images: string; masks: string; names: string[] };
let workspace: string;
let modelDir: string;
let runId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-cli-e2e-'));
  data = await writeBlobFolders(path.join(dir, 'cells'), { count: 4, width: 72, height: 64, masks: 'binary' });
  workspace = path.join(dir, 'workspace');
  modelDir = path.join(dir, 'model');
  const run = await cli('train', '--images', data.images, '--masks', data.masks, '--out', modelDir, '--preset', 'tiny', '--steps', '4', '--val-fraction', '0.25', '--seed', '3', '--workspace', workspace, '--json');
  expect(run.code, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout);
  runId = result.runId;
  expect(result).toMatchObject({ status: 'succeeded', steps: 4, trainImages: 3, validationImages: 1, dataset: { name: 'cells' }, modelDir });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unet-studio train -> segment -> evaluate', () => {
  it('train wrote a model folder and recorded the run in the workspace', () => {
    for (const file of ['model.json', 'weights.bin', 'unet.json', 'model.onnx', 'run.json']) expect(existsSync(path.join(modelDir, file)), file).toBe(true);
    const ws = Workspace.open(workspace, { create: false });
    try {
      const run = ws.runs.get(runId);
      expect(run.status).toBe('succeeded');
      expect(run.images).toHaveLength(4);
      expect(ws.runs.curves(runId)).toHaveLength(4);
    } finally {
      ws.close();
    }
  });

  it('segment writes one mask per input with the input\'s name, 0/255, and records the predictions', async () => {
    const out = path.join(dir, 'pred');
    const run = await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--probabilities', '--workspace', workspace, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.outputs).toHaveLength(4);
    expect(result.recordedRunId).toBe(runId);
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).sort()).toEqual(data.names);
    const mask = await readImage(path.join(out, data.names[0]));
    expect([mask.width, mask.height, mask.channels]).toEqual([72, 64, 1]);
    expect(mask.data.every((v) => v === 0 || v === 255)).toBe(true);
    expect(existsSync(path.join(out, 'probabilities', data.names[0].replace('.png', '.tif')))).toBe(true);

    const evaluation = await cli('evaluate', '--pred', out, '--masks', data.masks, '--json');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const scores = JSON.parse(evaluation.stdout);
    expect(scores.images).toHaveLength(4);
    for (const metric of ['iou', 'seg', 'vRand', 'vInfo', 'randError', 'pixelError', 'ap50']) {
      expect(scores.mean[metric], metric).toBeGreaterThanOrEqual(0);
      expect(scores.mean[metric], metric).toBeLessThanOrEqual(1);
    }
    const table = await cli('evaluate', '--pred', out, '--masks', data.masks);
    expect(table.stdout).toMatch(/^image\s+IoU\s+SEG\s+V_rand\s+V_info\s+Rand err\s+pixel err/m);
    expect(table.stdout).toMatch(/^mean\s/m);
  });

  it('train calibrated the instance post-processing on the validation image and the 3 training images, and stored it with the Otsu polarity', async () => {
    const metadata = await readMetadata(modelDir);
    expect(metadata.instancePostprocessing).toMatchObject({ metric: 'seg', images: 4, trainingImages: 3 });
    expect(metadata.instancePostprocessing!.score).toBeGreaterThanOrEqual(metadata.instancePostprocessing!.defaultScore);
    // Bright blobs on a dark background.
    expect(metadata.baseline).toEqual({ method: 'otsu', sigma: 1, polarity: 'bright', rule: 'training annotations' });
  });

  it('evaluate --images scores an Otsu threshold of the same images beside the model, in JSON and text', async () => {
    const out = path.join(dir, 'pred-otsu');
    expect((await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--workspace', workspace)).code).toBe(0);
    const json = await cli('evaluate', '--pred', out, '--masks', data.masks, '--images', data.images, '--json');
    expect(json.code, json.stderr).toBe(0);
    const scores = JSON.parse(json.stdout);
    expect(scores.baseline.images).toHaveLength(4);
    expect(scores.baseline.settings).toEqual({ sigma: 1, polarity: 'per image', rule: 'minority' });
    // Clean synthetic blobs: a threshold finds them almost exactly.
    expect(scores.baseline.mean.iou).toBeGreaterThan(0.8);
    expect(scores.verdict).toMatch(/^The model (does not )?beat(s)? an Otsu threshold on these images: IoU /);
    const text = await cli('evaluate', '--pred', out, '--masks', data.masks, '--images', data.images, '--baseline-polarity', 'dark');
    expect(text.stdout).toMatch(/^Otsu mean\s/m);
    expect(text.stdout).toMatch(/Otsu baseline: Gaussian σ 1, dark foreground \(given\)/);
    // The wrong side of the threshold scores far below the right one.
    const dark = JSON.parse((await cli('evaluate', '--pred', out, '--masks', data.masks, '--images', data.images, '--baseline-polarity', 'dark', '--json')).stdout);
    expect(dark.baseline.mean.iou).toBeLessThan(scores.baseline.mean.iou);
    const without = await cli('evaluate', '--pred', out, '--masks', data.masks);
    expect(without.stdout).toMatch(/Add --images DIR/);
  });

  it('segment --instances uses the calibrated post-processing; --masks scores it beside the Otsu baseline; explicit parameters override', async () => {
    const out = path.join(dir, 'pred-instances');
    const run = await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--instances', '--masks', data.masks, '--workspace', workspace, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    const stored = (await readMetadata(modelDir)).instancePostprocessing!.options;
    expect(result.instances).toEqual({ options: stored, calibrated: true });
    expect(result.evaluation.images).toHaveLength(4);
    expect(result.evaluation.baseline.settings).toEqual({ sigma: 1, polarity: 'bright', rule: 'training annotations' });
    expect(result.evaluation.baseline.mean.seg).toBeGreaterThan(0);
    expect(result.evaluation.verdict).toMatch(/Otsu threshold on these images/);
    const text = await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--instances', '--erosion', '0', '--masks', data.masks, '--workspace', workspace);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^objects: connected components$/m);
    expect(text.stdout).toMatch(/^Otsu mean\s/m);
    expect(text.stdout).toMatch(/Otsu threshold on these images/);
    expect((await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--erosion', '2')).code).toBe(2);
    const filled = await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--instances', '--fill', '--growth', 'probability', '--json');
    expect(filled.code, filled.stderr).toBe(0);
    expect(JSON.parse(filled.stdout).instances).toEqual({ options: { growth: 'probability', fill: true }, calibrated: false });
    expect((await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--fill')).code).toBe(2);
    const merged = await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--instances', '--seed-threshold', '0.5', '--merge', '0.8', '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).instances).toEqual({ options: { threshold: 0.5, merge: 0.8 }, calibrated: false });
    expect((await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--merge', '0.8')).code).toBe(2);
    expect((await cli('segment', '--model', modelDir, '--images', data.images, '--out', out, '--instances', '--merge', '1.5')).code).toBe(2);
  });

  it('segment smooths an image clearly noisier than the training images (the level stored in unet.json), and says so', async () => {
    const level = (await readMetadata(modelDir)).trainingNoise;
    expect(level?.images).toBe(3);
    expect(level!.sigma).toBeGreaterThan(0);
    const noisyDir = path.join(dir, 'noisy');
    mkdirSync(noisyDir);
    const clean = toGray(await readImage(path.join(data.images, data.names[0])));
    const rng = createRng(11);
    const noisy = Uint8Array.from(clean.data as ArrayLike<number>, (v) => Math.max(0, Math.min(255, Math.round(v + 40 * rng.normal()))));
    await writeLabelImage(path.join(noisyDir, 'noisy.png'), noisy, clean.width, clean.height);
    cpSync(path.join(data.images, data.names[1]), path.join(noisyDir, data.names[1]));
    const out = path.join(dir, 'pred-noisy');
    const run = await cli('segment', '--model', modelDir, '--images', noisyDir, '--out', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const smoothing = Object.fromEntries(JSON.parse(run.stdout).outputs.map((o: { input: string; noiseSmoothing: number | null }) => [path.basename(o.input), o.noiseSmoothing]));
    expect(smoothing[data.names[1]]).toBeNull();
    expect(smoothing['noisy.png']).toBeGreaterThan(0);
    const text = await cli('segment', '--model', modelDir, '--images', noisyDir, '--out', out);
    expect(text.stdout).toMatch(/^1 image\(s\) noisier than the training images were smoothed to their noise level \(Gaussian sigma \d\.\d\d px/m);
    const off = await cli('segment', '--model', modelDir, '--images', noisyDir, '--out', out, '--no-noise-matching', '--json');
    expect(JSON.parse(off.stdout).outputs.every((o: { noiseSmoothing: number | null }) => o.noiseSmoothing === null)).toBe(true);
  });

  it('segment --instances writes object labels; --shard splits the sorted inputs into disjoint slices', async () => {
    const parts = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const run = await cli('segment', '--model', modelDir, '--images', data.images, '--out', path.join(dir, 'shards'), '--shard', shard, '--instances', '--json', '--workspace', path.join(dir, 'no-such-workspace'));
      expect(run.code, run.stderr).toBe(0);
      parts.push(JSON.parse(run.stdout).outputs.map((o: { input: string }) => path.basename(o.input)));
    }
    expect(parts.flat()).toEqual(data.names);
    expect(parts.map((p) => p.length)).toEqual([1, 1, 2]);
    expect(existsSync(path.join(dir, 'no-such-workspace'))).toBe(false);
  });

  it('merge-workspaces folds the records of shard workspaces without duplicates', async () => {
    const shards = [path.join(dir, 'shard-1'), path.join(dir, 'shard-2')];
    for (const [i, shard] of shards.entries()) {
      cpSync(workspace, shard, { recursive: true });
      const run = await cli('segment', '--model', modelDir, '--images', data.images, '--out', path.join(dir, `shard-out-${i + 1}`), '--shard', `${i + 1}/2`, '--workspace', shard);
      expect(run.code, run.stderr).toBe(0);
    }
    const merged = path.join(dir, 'merged');
    const first = await cli('merge-workspaces', '--into', merged, ...shards, '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).total).toMatchObject({ datasets: 1, images: 4, runs: 1, curvePoints: 4 });
    const again = await cli('merge-workspaces', '--into', merged, ...shards, '--json');
    expect(JSON.parse(again.stdout).total).toMatchObject({ datasets: 0, images: 0, annotationVersions: 0, runs: 0, curvePoints: 0, checkpoints: 0, predictions: 0 });
    const ws = Workspace.open(merged, { create: false });
    try {
      const runs = ws.runs.list();
      expect(runs).toHaveLength(1);
      const inputs = ws.results.predictions(runs[0].id).map((p) => p.inputPath);
      // The training workspace's own records of the first segment call, plus each shard's half.
      expect(new Set(inputs.map((p) => path.basename(p)))).toEqual(new Set(data.names));
      expect(path.basename(path.dirname(ws.results.predictions(runs[0].id).find((p) => p.labelsPath?.includes('shard-out-2'))?.labelsPath ?? ''))).toBe('shard-out-2');
    } finally {
      ws.close();
    }
  });

  it('export --format bioimageio and import-model round-trip the trained model', async () => {
    const zip = path.join(dir, 'model.zip');
    const exported = await cli('export', '--model', modelDir, '--out', zip, '--sample', path.join(data.images, data.names[0]), '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const rdf = parse(strFromU8(unzipSync(readFileSync(zip))['rdf.yaml']));
    if (bioimageioSchemaAvailable) expect(validateBioimageioDescription(rdf)).toEqual({ valid: true, errors: [] });
    else console.warn(bioimageioSchemaMissing);
    const imported = await cli('import-model', zip, '--out', path.join(dir, 'imported'), '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result.ok).toBe(true);
    expect(result.check.maxAbsDifference).toBeLessThanOrEqual(result.tolerance);
  });

  it('train --init fine-tunes the run\'s model, and info --run shows where a run started from', async () => {
    const tuned = await cli('train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, 'tuned'), '--preset', 'tiny', '--steps', '2', '--init', String(runId), '--workspace', workspace, '--json');
    expect(tuned.code, tuned.stderr).toBe(0);
    const childId = JSON.parse(tuned.stdout).runId as number;
    const text = await cli('info', '--run', String(childId), '--workspace', workspace);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^run #${childId} .*: succeeded$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^started from: run #${runId} \\(.*\\) at step 4`, 'm'));
    const json = JSON.parse((await cli('info', '--run', String(childId), '--workspace', workspace, '--json')).stdout);
    expect(json.lineage).toEqual([expect.objectContaining({ source: { kind: 'run', runId }, step: 4 })]);
    const parent = await cli('info', '--run', String(runId), '--workspace', workspace);
    expect(parent.stdout).toMatch(/^started from: random weights \(the paper\)$/m);
    expect((await cli('info', '--run', '9999', '--workspace', workspace)).code).not.toBe(0);
  });

  it('train --weight-average records the decay with the run; off records none', async () => {
    for (const [flag, decay] of [['0.9', 0.9], ['off', 0]] as const) {
      const run = await cli('train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, `average-${flag}`), '--preset', 'tiny', '--steps', '2', '--weight-average', flag, '--workspace', workspace, '--json');
      expect(run.code, run.stderr).toBe(0);
      const info = JSON.parse((await cli('info', '--run', String(JSON.parse(run.stdout).runId), '--workspace', workspace, '--json')).stdout);
      expect(info.config.weightAverage).toBe(decay);
    }
  });

  it('train --class-weights records the weighting with the run; per image (the default) records none', async () => {
    for (const [flags, recorded] of [[['--class-weights', 'data-set'], 'data-set'], [['--class-weights', 'none'], 'none'], [[], undefined]] as const) {
      const args = ['train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, `class-weights-${recorded}`), '--preset', 'tiny', '--steps', '2', '--workspace', workspace, '--json'];
      const run = await cli(...args, ...flags);
      expect(run.code, run.stderr).toBe(0);
      const info = JSON.parse((await cli('info', '--run', String(JSON.parse(run.stdout).runId), '--workspace', workspace, '--json')).stdout);
      expect(info.config.classWeights).toBe(recorded);
    }
  });

  it('train --gamma and --scale record the augmentation\'s ranges; without them the run records the defaults', async () => {
    for (const [flags, gamma, scale] of [[['--gamma', '0.3', '--scale', '0.25'], 0.3, 0.25], [[], 0.5, 0]] as const) {
      const args = ['train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, `ranges-${flags.length}`), '--preset', 'tiny', '--steps', '2', '--workspace', workspace, '--json'];
      const run = await cli(...args, ...flags);
      expect(run.code, run.stderr).toBe(0);
      const info = JSON.parse((await cli('info', '--run', String(JSON.parse(run.stdout).runId), '--workspace', workspace, '--json')).stdout);
      expect(info.config.augmentation).toMatchObject({ gamma, scale });
    }
  });

  it('train --border-class on records the border class; fine-tuning keeps it; segment still writes 0/255 masks', async () => {
    const borderDir = path.join(dir, 'border-model');
    const run = await cli('train', '--images', data.images, '--masks', data.masks, '--out', borderDir, '--preset', 'tiny', '--steps', '2', '--val-fraction', '0.25', '--border-class', 'on', '--workspace', workspace, '--json');
    expect(run.code, run.stderr).toBe(0);
    const metadata = await readMetadata(borderDir);
    expect(metadata.borderClass).toBe(3);
    expect(metadata.classNames.slice(1)).toEqual(['background', 'cell', 'border']);
    const tunedDir = path.join(dir, 'border-tuned');
    const tuned = await cli('train', '--images', data.images, '--masks', data.masks, '--out', tunedDir, '--preset', 'tiny', '--steps', '1', '--init', borderDir, '--workspace', workspace, '--json');
    expect(tuned.code, tuned.stderr).toBe(0);
    expect((await readMetadata(tunedDir)).classNames).toEqual(metadata.classNames);
    const refused = await cli('train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, 'border-refused'), '--preset', 'tiny', '--steps', '1', '--init', borderDir, '--border-class', 'off', '--workspace', workspace);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/border class \(the model has\)/);
    const out = path.join(dir, 'border-masks');
    const seg = await cli('segment', '--model', borderDir, '--images', data.images, '--out', out, '--workspace', workspace);
    expect(seg.code, seg.stderr).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).sort()).toEqual(data.names);
    for (const name of data.names) {
      const mask = await readImage(path.join(out, name));
      expect(mask.data.every((v: number) => v === 0 || v === 255), name).toBe(true);
    }
  });
});

describe('unet-studio segment --channel', () => {
  it('segments the chosen channel of an OME-TIFF (2 channels x 3 z x 2 t) like the same plane on its own', async () => {
    const blob = toGray(await readImage(path.join(data.images, data.names[0])));
    const { width, height } = blob;
    const plane = Uint16Array.from(blob.data);
    const sizes = { C: 2, Z: 3, T: 2 };
    // Channel 2 (c = 1) at z = 0, t = 0 holds the cells; every other plane is their negative.
    const pages = stackPages(width, height, sizes, 'XYZCT').map((p, i) => (i === 3 ? plane : plane.map((v) => 255 - v)));
    const stackDir = path.join(dir, 'stack-in');
    const singleDir = path.join(dir, 'single-in');
    for (const d of [stackDir, singleDir]) rmSync(d, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(stackDir, { recursive: true });
    mkdirSync(singleDir, { recursive: true });
    writeFileSync(path.join(stackDir, 'cells.ome.tif'), buildStackTiff({ width, height, pages, description: omeXml(sizes, 'XYZCT', { x: 0.5, y: 0.5, unit: 'µm' }) }));
    writeFileSync(path.join(singleDir, 'cells.tif'), buildStackTiff({ width, height, pages: [plane] }));
    // Scored against the first image's mask: the Otsu baseline beside the score sees the same channel.
    const masksDir = path.join(dir, 'stack-masks');
    mkdirSync(masksDir, { recursive: true });
    cpSync(path.join(data.masks, data.names[0]), path.join(masksDir, `cells${path.extname(data.names[0])}`));
    const fromStack = await cli('segment', '--model', modelDir, '--images', stackDir, '--out', path.join(dir, 'stack-out'), '--channel', '2', '--masks', masksDir, '--workspace', workspace, '--json');
    expect(fromStack.code, fromStack.stderr).toBe(0);
    const fromSingle = await cli('segment', '--model', modelDir, '--images', singleDir, '--out', path.join(dir, 'single-out'), '--masks', masksDir, '--workspace', workspace, '--json');
    expect(fromSingle.code, fromSingle.stderr).toBe(0);
    const stackScores = JSON.parse(fromStack.stdout).evaluation;
    const singleScores = JSON.parse(fromSingle.stdout).evaluation;
    expect(stackScores.images[0].metrics).toEqual(singleScores.images[0].metrics);
    expect(stackScores.baseline.images[0].metrics.iou).toBeGreaterThan(0.5);
    expect(stackScores.baseline.images[0].metrics).toEqual(singleScores.baseline.images[0].metrics);
    const a = await readImage(JSON.parse(fromStack.stdout).outputs[0].mask);
    const b = await readImage(JSON.parse(fromSingle.stdout).outputs[0].mask);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    // The OME pixel size travels to the mask.
    expect(a.pixelSize).toEqual({ x: 0.5, y: 0.5, unit: 'µm' });
    const otherChannel = await cli('segment', '--model', modelDir, '--images', stackDir, '--out', path.join(dir, 'stack-out-1'), '--channel', '1', '--workspace', workspace, '--json');
    expect(otherChannel.code, otherChannel.stderr).toBe(0);
    expect(Array.from((await readImage(JSON.parse(otherChannel.stdout).outputs[0].mask)).data)).not.toEqual(Array.from(b.data));
    const missing = await cli('segment', '--model', modelDir, '--images', stackDir, '--out', path.join(dir, 'stack-out-3'), '--channel', '3');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/channel 3 does not exist \(the image has 2\)/);
  });
});

describe('unet-studio train / segment / evaluate --channel --z --t', () => {
  const PLANE = { c: 1, z: 2, t: 1 };
  let stackDir: string;

  /** Each blob image as a 2 channel x 3 z x 2 t OME-TIFF whose plane (c 2, z 3, t 2) holds the cells; every other plane their negative. */
  beforeAll(async () => {
    stackDir = path.join(dir, 'plane-stacks');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(stackDir, { recursive: true });
    const sizes = { C: 2, Z: 3, T: 2 };
    const axes = { sizeC: 2, sizeZ: 3, sizeT: 2, order: 'XYCZT' as const, source: 'ome' as const };
    for (const name of data.names) {
      const blob = toGray(await readImage(path.join(data.images, name)));
      const cells = Uint16Array.from(blob.data);
      const pages = stackPages(blob.width, blob.height, sizes, 'XYCZT').map((_, frame) => (frame === stackFrameIndex(axes, PLANE) ? cells : cells.map((v) => 255 - v)));
      writeFileSync(path.join(stackDir, name.replace(/\.png$/, '.ome.tif')), buildStackTiff({ width: blob.width, height: blob.height, pages, description: omeXml(sizes, 'XYCZT') }));
    }
  });

  it('train --channel --z --t trains on that plane and makes it the data set\'s plane; a plane the images lack stops it', async () => {
    const planeWorkspace = path.join(dir, 'plane-workspace');
    const run = await cli('train', '--images', stackDir, '--masks', data.masks, '--out', path.join(dir, 'plane-model'), '--preset', 'tiny', '--steps', '2', '--val-fraction', '0.25', '--channel', '2', '--z', '3', '--t', '2', '--workspace', planeWorkspace, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    const ws = Workspace.open(planeWorkspace, { create: false });
    try {
      expect(ws.datasets.get(result.dataset.id).plane).toEqual(PLANE);
      expect(ws.runs.get(result.runId).config.plane).toEqual(PLANE);
    } finally {
      ws.close();
    }
    const missing = await cli('train', '--images', stackDir, '--masks', data.masks, '--out', path.join(dir, 'plane-model-3'), '--preset', 'tiny', '--steps', '1', '--channel', '3', '--workspace', planeWorkspace);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no channel 3 \(it has 2\)/);
  });

  it('segment and evaluate --images read the same plane of every image', async () => {
    const stack = path.join(stackDir, data.names[0].replace(/\.png$/, '.ome.tif'));
    const single = path.join(data.images, data.names[0]);
    const fromStack = await cli('segment', '--model', modelDir, '--images', stack, '--out', path.join(dir, 'plane-out'), '--channel', '2', '--z', '3', '--t', '2', '--workspace', workspace, '--json');
    expect(fromStack.code, fromStack.stderr).toBe(0);
    const singleOut = path.join(dir, 'plane-single-out');
    const fromSingle = await cli('segment', '--model', modelDir, '--images', single, '--out', singleOut, '--workspace', workspace, '--json');
    expect(fromSingle.code, fromSingle.stderr).toBe(0);
    const a = await readImage(JSON.parse(fromStack.stdout).outputs[0].mask);
    const b = await readImage(JSON.parse(fromSingle.stdout).outputs[0].mask);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));

    // The Otsu baseline of evaluate --images thresholds the chosen plane: as good as on the plain image.
    const evaluate = async (...extra: string[]) => cli('evaluate', '--pred', singleOut, '--masks', data.masks, '--json', ...extra);
    const plain = JSON.parse((await evaluate('--images', data.images)).stdout);
    const atPlane = await evaluate('--images', stackDir, '--channel', '2', '--z', '3', '--t', '2');
    expect(atPlane.code, atPlane.stderr).toBe(0);
    expect(JSON.parse(atPlane.stdout).baseline.images[0].metrics).toEqual(plain.baseline.images[0].metrics);
    const firstPlane = JSON.parse((await evaluate('--images', stackDir)).stdout);
    expect(firstPlane.baseline.images[0].metrics).not.toEqual(plain.baseline.images[0].metrics);
    const noImages = await evaluate('--channel', '2');
    expect(noImages.code).toBe(2);
    expect(noImages.stderr).toMatch(/--channel, --z and --t choose the plane of the --images/);
  });
});

const DSB_IMAGE = path.resolve(__dirname, '../../../../shared/data/dsb2018/images/00_fluor_256x256.png');
const dsbMissing = `real DSB 2018 image not at ${DSB_IMAGE}: segment -> ROI round trip on real data skipped`;
describe.skipIf(!existsSync(DSB_IMAGE))(existsSync(DSB_IMAGE) ? 'unet-studio segment --instances --rois on a real DSB 2018 image' : dsbMissing, () => {
  it('writes an ImageJ ROI set and GeoJSON that re-rasterise to the instance labels (IoU >= 0.98 per object)', async () => {
    const outZip = path.join(dir, 'rois-zip');
    const outGeo = path.join(dir, 'rois-geojson');
    const zipRun = await cli('segment', '--model', modelDir, '--images', DSB_IMAGE, '--out', outZip, '--instances', '--rois', 'zip', '--workspace', workspace, '--json');
    expect(zipRun.code, zipRun.stderr).toBe(0);
    const geoRun = await cli('segment', '--model', modelDir, '--images', DSB_IMAGE, '--out', outGeo, '--instances', '--rois', 'geojson', '--workspace', workspace, '--json');
    expect(geoRun.code, geoRun.stderr).toBe(0);
    const zipOut = JSON.parse(zipRun.stdout).outputs[0];
    const geoOut = JSON.parse(geoRun.stdout).outputs[0];
    expect(path.basename(zipOut.rois)).toBe('00_fluor_256x256.rois.zip');
    expect(path.basename(geoOut.rois)).toBe('00_fluor_256x256.geojson');

    const labels = await readImage(zipOut.mask);
    const { width, height } = labels;
    const objects = [...new Set(Array.from(labels.data))].filter((v) => v !== 0);
    expect(objects.length).toBe(zipOut.objects);
    expect(objects.length).toBeGreaterThan(0);

    const rois = decodeRoiSet(readFileSync(zipOut.rois));
    expect(rois).toHaveLength(objects.length);
    const fromRois = new Uint32Array(width * height);
    for (const roi of rois) fillPolygonRings(roi.rings, fromRois, width, height, Number(roi.name.replace('label-', '')));

    const collection = JSON.parse(readFileSync(geoOut.rois, 'utf8'));
    expect(collection.features).toHaveLength(objects.length);
    const fromGeo = new Uint32Array(width * height);
    for (const f of collection.features) fillPolygonRings(geoJsonRings(f.geometry), fromGeo, width, height, f.properties.measurements.Label);

    for (const label of objects) {
      expect(objectIou(labels.data, label, fromRois, label), `label ${label} (zip)`).toBeGreaterThanOrEqual(0.98);
      expect(objectIou(labels.data, label, fromGeo, label), `label ${label} (geojson)`).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('refuses --rois without --instances and an unknown ROI format as usage errors', async () => {
    const noInstances = await cli('segment', '--model', modelDir, '--images', DSB_IMAGE, '--out', path.join(dir, 'x'), '--rois', 'zip');
    expect(noInstances.code).toBe(2);
    expect(noInstances.stderr).toMatch(/--rois needs --instances/);
    const badFormat = await cli('segment', '--model', modelDir, '--images', DSB_IMAGE, '--out', path.join(dir, 'x'), '--instances', '--rois', 'svg');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/zip, geojson/);
  });
});
