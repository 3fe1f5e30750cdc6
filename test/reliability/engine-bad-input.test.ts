import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type UnetApi } from '../../src-shared/contract/index';
import type { ImportResult } from '../../src-shared/contract/images';
import { createApiClient } from '../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../src-main/app/app-context';
import { writeFloatTiff, writeLabelImage } from '../../src-main/io/write-image';
import { Workspace } from '../../src-main/store/workspace';
import { cli } from '../src-main/cli/cli-io';
import { writeBlobFolders } from '../src-main/pipeline/blob-folders';
import { enginePids } from './engine-harness';
import { writeFigures } from './figures';

// Training input that cannot work is refused with a typed, readable error before any engine starts,
// through the API (training.start) and the command line (train); no run is left running.
const SIZE = 64;
let dir: string;
let ctx: AppContext;
let api: UnetApi;
let names: string[];
const messages: Record<string, string> = {};

/** A folder DIR/images + DIR/masks with the blob images and masks written by `mask(name, base)`. */
async function pairFolder(name: string, source: string, mask: (file: string, base: string) => Promise<void>): Promise<string> {
  const folder = path.join(dir, name);
  mkdirSync(path.join(folder, 'images'), { recursive: true });
  mkdirSync(path.join(folder, 'masks'), { recursive: true });
  for (const file of names) {
    copyFileSync(path.join(source, file), path.join(folder, 'images', file));
    await mask(path.join(folder, 'masks'), file.replace(/\.png$/, ''));
  }
  return folder;
}

const folders: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-bad-input-'));
  const good = await writeBlobFolders(path.join(dir, 'good'), { count: 3, width: SIZE, height: SIZE, masks: 'binary' });
  names = good.names;
  const pixels = SIZE * SIZE;
  folders.wrongSize = await pairFolder('wrong-size', good.images, (m, base) => writeLabelImage(path.join(m, `${base}.png`), new Uint8Array((SIZE - 4) * SIZE).fill(255), SIZE - 4, SIZE));
  folders.floatMask = await pairFolder('float-mask', good.images, (m, base) => writeFloatTiff(path.join(m, `${base}.tif`), Float32Array.from({ length: pixels }, (_, i) => (i % 3) * 0.5), SIZE, SIZE));
  folders.negativeMask = await pairFolder('negative-mask', good.images, (m, base) => writeFloatTiff(path.join(m, `${base}.tif`), Float32Array.from({ length: pixels }, (_, i) => (i % 5 === 0 ? -1 : 0)), SIZE, SIZE));
  folders.emptyMask = await pairFolder('empty-mask', good.images, (m, base) => writeLabelImage(path.join(m, `${base}.png`), new Uint8Array(pixels), SIZE, SIZE));
  folders.good = path.join(dir, 'good');
  folders.empty = path.join(dir, 'empty');
  mkdirSync(path.join(folders.empty, 'images'), { recursive: true });
  mkdirSync(path.join(folders.empty, 'masks'), { recursive: true });
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'workspace') });
  api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, p) => c === channel && listener(p)),
  });
});

afterAll(async () => {
  writeFigures('engine-bad-input', messages);
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importFolder(name: string, folder: string): Promise<{ datasetId: number; result: ImportResult }> {
  const datasetId = (await api.datasets.create({ name })).id;
  const job = await ctx.jobs.wait((await api.images.import({ datasetId, paths: [folder] })).id);
  expect(job.status).toBe('succeeded');
  return { datasetId, result: job.result as ImportResult };
}

/** training.start must refuse with INVALID_ARGUMENT matching `pattern`, and nothing may run or be recorded. */
async function expectRefused(label: string, datasetId: number, pattern: RegExp): Promise<void> {
  const runsBefore = (await api.runs.list({})).length;
  const outcome = await ctx.dispatch('training.start', { datasetId, options: { preset: 'tiny', steps: 2 } });
  expect(outcome.ok, label).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error.code, label).toBe('INVALID_ARGUMENT');
  expect(outcome.error.message, label).toMatch(pattern);
  expect(outcome.error.message.length, label).toBeLessThan(300);
  messages[`api: ${label}`] = outcome.error.message;
  expect((await api.runs.list({})).length, label).toBe(runsBefore);
  expect(ctx.jobs.list().filter((j) => j.kind === 'training'), label).toEqual([]);
  expect(enginePids(), label).toEqual([]);
}

describe('bad training input through training.start', () => {
  it('an empty data set', async () => {
    const { id } = await api.datasets.create({ name: 'nothing' });
    await expectRefused('empty data set', id, /^data set "nothing" has no images: import some first$/);
  });

  it('masks whose size differs from the image: each reported at import, then no annotated image to train on', async () => {
    const { datasetId, result } = await importFolder('wrong-size', folders.wrongSize);
    expect(result.imported).toBe(3);
    expect(result.failures.map((f) => [path.basename(f.path), f.error])).toEqual(names.map((n) => [n, `mask is ${SIZE - 4}x${SIZE}, image is ${SIZE}x${SIZE}`]));
    await expectRefused('masks of the wrong size', datasetId, /has no annotated images: paint or import ground truth first/);
  });

  it('an image file replaced by one of another size after it was annotated', async () => {
    const { datasetId } = await importFolder('replaced', path.join(dir, 'good'));
    const image = (await api.images.list({ datasetId })).items[0];
    await writeLabelImage(image.path, new Uint8Array(SIZE * 48), SIZE, 48);
    try {
      await expectRefused('image replaced by another size', datasetId, new RegExp(`^${image.name} is now ${SIZE}x48, recorded as ${SIZE}x${SIZE}: the file changed$`));
    } finally {
      copyFileSync(path.join(dir, 'wrong-size', 'images', path.basename(image.path)), image.path);
    }
  });

  it.each([
    ['floatMask', 'a float TIFF mask with fractions', /mask values must be non-negative integers \(found 0\.5\); it cannot be read as labels/],
    ['negativeMask', 'a mask with negative values', /mask values must be non-negative integers \(found -1\); it cannot be read as labels/],
  ] as const)('%s: %s', async (key, label, reason) => {
    const { datasetId, result } = await importFolder(key, folders[key]);
    expect(result.failures).toHaveLength(3);
    for (const failure of result.failures) expect(failure.error).toMatch(reason);
    await expectRefused(label, datasetId, /has no annotated images/);
  });

  it('no annotated pixel: annotations all unlabelled, and masks all zero (background only)', async () => {
    const bare = await api.datasets.create({ name: 'unlabelled' });
    await ctx.jobs.wait((await api.images.import({ datasetId: bare.id, paths: [path.join(dir, 'good', 'images')], masks: false })).id);
    for (const image of (await api.images.list({ datasetId: bare.id })).items) {
      const pixels = image.width * image.height;
      await api.annotations.save({ imageId: image.id, baseVersion: 0, classMap: new Uint8Array(pixels), instanceMap: new Uint32Array(pixels) });
    }
    await expectRefused('annotations without a labelled pixel', bare.id, /^the training images of "unlabelled" have no annotated pixels$/);

    const { datasetId } = await importFolder('zeros', folders.emptyMask);
    await expectRefused('masks of zeros', datasetId, /^the training images of "zeros" show only one class, "background" \(a mask of zeros imports as background everywhere\): annotate background and at least one object class$/);
  });

  it('only validation images', async () => {
    const { datasetId } = await importFolder('validation-only', path.join(dir, 'good'));
    const ids = (await api.images.list({ datasetId })).items.map((i) => i.id);
    await api.images.setSplit({ ids, split: 'validation' });
    await expectRefused('only validation images', datasetId, /^data set "validation-only" has no annotated images in its train split: put some there in the Library, or clear the splits to split automatically$/);
  });
});

describe('bad training input through `unet-studio train`', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['masks of the wrong size', () => pair(folders.wrongSize), /\/wrong-size\/masks\/blob-0\d\.png is 60x64 but its image blob-0\d\.png is 64x64 \(INVALID_ARGUMENT\)$/],
    ['a float TIFF mask', () => pair(folders.floatMask), /\/float-mask\/masks\/blob-0\d\.tif: mask values must be non-negative integers \(found 0\.5\); it cannot be read as labels \(and 2 more\) \(INVALID_ARGUMENT\)$/],
    ['a mask with negative values', () => pair(folders.negativeMask), /\/negative-mask\/masks\/blob-0\d\.tif: mask values must be non-negative integers \(found -1\).*\(INVALID_ARGUMENT\)$/],
    ['masks of zeros', () => pair(folders.emptyMask), /show only one class, "background" \(a mask of zeros imports as background everywhere\).*\(INVALID_ARGUMENT\)$/],
    ['empty folders', () => pair(folders.empty), /no mask in .*\/empty\/masks has the file name of an image in .*\/empty\/images$/],
    ['only validation images', () => [...pair(folders.empty), '--val-images', path.join(folders.good, 'images'), '--val-masks', path.join(folders.good, 'masks')], /no mask in .*\/empty\/masks has the file name of an image/],
  ];

  function pair(folder: string): string[] {
    return ['--images', path.join(folder, 'images'), '--masks', path.join(folder, 'masks')];
  }

  it.each(cases)('%s: exit 2 with one readable line, no run recorded', async (label, args, pattern) => {
    const workspace = path.join(dir, `cli-${label.replace(/\W+/g, '-')}`);
    const run = await cli('train', ...args(), '--out', path.join(workspace, 'model'), '--preset', 'tiny', '--steps', '2', '--workspace', workspace);
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    const last = lines[lines.length - 1];
    expect(last).toMatch(/^unet-studio train: /);
    expect(last).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
    messages[`cli: ${label}`] = last;
    expect(enginePids()).toEqual([]);
    try {
      const ws = Workspace.open(workspace, { create: false });
      try {
        expect(ws.runs.list({ limit: 100 })).toEqual([]);
      } finally {
        ws.close();
      }
    } catch (error) {
      // Refused before the workspace was even created: nothing recorded at all.
      expect((error as { code?: string }).code).toBe('NOT_FOUND');
    }
  });
});
