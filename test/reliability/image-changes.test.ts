import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { DatasetDetail, ImagePage, ImagePixels, ImageRecord, RunDetail, VerifyReport } from '../../src-shared/contract/records';
import { createAppContext, type AppContext } from '../../src-main/app/app-context';
import { encodeGrayPng } from '../../src-main/io/png/png-writer';
import { checkImageFile } from '../../src-main/store/image-file-check';
import { writeFigures } from './figures';
import { stormMaps } from './save-storm';

/*
 * Image files changed, deleted, replaced or moved after import: verify reports each case, reads of
 * a missing file are NOT_FOUND, nothing crashes, and the runs that used the images keep their record.
 */

const W = 32;
const H = 24;
let tmp: string;
let data: string;
let ctx: AppContext;
let datasetId: number;
let byName: Map<string, ImageRecord>;
let runId: number;
const original = new Map<string, Uint8Array>();

async function call<T>(method: string, input?: unknown): Promise<T> {
  const outcome = await ctx.dispatch(method, input);
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.value as T;
}

async function fail(method: string, input?: unknown): Promise<ErrorInfo> {
  const outcome = await ctx.dispatch(method, input);
  if (outcome.ok) throw new Error(`${method} succeeded but should have failed`);
  return outcome.error;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-changes-'));
  data = path.join(tmp, 'data');
  mkdirSync(data);
  for (const [i, name] of ['deleted', 'rewritten', 'resized', 'garbage', 'folder', 'moved', 'restored'].entries()) {
    const bytes = encodeGrayPng(Uint8Array.from({ length: W * H }, (_, k) => (k + 13 * i) & 0xff), W, H);
    original.set(name, bytes);
    writeFileSync(path.join(data, `${name}.png`), bytes);
  }
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(tmp, 'workspace') });
  datasetId = (await call<DatasetDetail>('datasets.create', { name: 'changes' })).id;
  const job = await call<JobInfo>('images.import', { datasetId, paths: [data] });
  expect((await ctx.jobs.wait(job.id)).status).toBe('succeeded');
  const page = await call<ImagePage>('images.list', { datasetId });
  byName = new Map(page.items.map((item) => [item.name.replace('.png', ''), item]));
  const members = [];
  for (const [i, image] of [...byName.values()].entries()) {
    await call('annotations.save', { imageId: image.id, baseVersion: 0, ...stormMaps(W, H, i) });
    members.push({ imageId: image.id, split: 'train' as const, annotationVersionId: ctx.workspace.current.annotations.latest(image.id)?.id ?? null });
  }
  runId = ctx.workspace.current.runs.create({
    datasetId, config: { epochs: 1 }, seed: 1, backend: 'cpu', device: 'cpu', appVersion: 'test', tfjsVersion: 'test', images: members,
  }).id;

  // What happens to files behind the app's back.
  const at = (name: string) => path.join(data, `${name}.png`);
  rmSync(at('deleted'));
  writeFileSync(at('rewritten'), encodeGrayPng(new Uint8Array(W * H).fill(200), W, H));
  writeFileSync(at('resized'), encodeGrayPng(new Uint8Array(2 * W * 2 * H).fill(90), 2 * W, 2 * H));
  writeFileSync(at('garbage'), new TextEncoder().encode('this used to be an image'));
  rmSync(at('folder'));
  mkdirSync(at('folder'));
  mkdirSync(path.join(tmp, 'elsewhere'));
  renameSync(at('moved'), path.join(tmp, 'elsewhere', 'moved-copy.png'));
  writeFileSync(at('restored'), new Uint8Array(10));
  writeFileSync(at('restored'), original.get('restored') as Uint8Array);
});

afterAll(async () => {
  await ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('image files changed or deleted after import', () => {
  it('verify reports every case, and relocates the moved file it finds', async () => {
    const id = (name: string) => byName.get(name)?.id;
    const report = await call<VerifyReport>('images.verify', { datasetId, searchFolders: [path.join(tmp, 'elsewhere')], relocate: true });
    expect(report.checked).toBe(7);
    expect(report.missing.map((m) => m.id).sort()).toEqual([id('deleted'), id('folder')].sort());
    expect(report.changed.map((c) => c.id).sort()).toEqual([id('rewritten'), id('resized'), id('garbage')].sort());
    expect(report.moved).toEqual([{ id: id('moved'), from: path.join(data, 'moved.png'), to: path.join(tmp, 'elsewhere', 'moved-copy.png'), updated: true }]);
    // Rewritten with the same bytes: only the modification time differs, and the hash says it is the same.
    expect(report.ok).toBe(1);
    const status = async (name: string) => (await call<ImageRecord>('images.get', { id: id(name) })).fileStatus;
    expect(await status('deleted')).toBe('missing');
    expect(await status('rewritten')).toBe('changed');
    expect(await status('moved')).toBe('ok');
    expect(await status('restored')).toBe('ok');
    writeFigures('image-changes', { checked: report.checked, ok: report.ok, changed: report.changed.length, missing: report.missing.length, moved: report.moved.length });
  });

  it('reading a missing file is NOT_FOUND naming it, for pixels, regions and thumbnails', async () => {
    // A folder now standing where the file was is refused too (NOT_FOUND through checkImageFile,
    // INVALID_ARGUMENT "is a directory" from the reader).
    for (const [name, codes] of [['deleted', ['NOT_FOUND']], ['folder', ['NOT_FOUND', 'INVALID_ARGUMENT']]] as const) {
      const image = byName.get(name) as ImageRecord;
      for (const [method, input] of [
        ['images.read', { id: image.id }],
        ['images.read', { id: image.id, region: { x: 1, y: 1, width: 4, height: 4 } }],
        ['images.thumbnail', { id: image.id }],
      ] as const) {
        const error = await fail(method, input);
        expect(codes, `${name} ${method}: ${error.code}`).toContain(error.code);
        expect(error.message).toContain(image.path);
      }
    }
  });

  it('reading a changed file never crashes: a typed error, or pixels whose size matches what came back', async () => {
    for (const name of ['rewritten', 'resized', 'garbage']) {
      const image = byName.get(name) as ImageRecord;
      const outcome = await ctx.dispatch('images.read', { id: image.id });
      if (outcome.ok) {
        const pixels = outcome.value as ImagePixels;
        expect(pixels.data.length).toBe(pixels.width * pixels.height * pixels.channels);
      } else {
        expect(['CONFLICT', 'CORRUPT', 'NOT_FOUND', 'UNSUPPORTED']).toContain(outcome.error.code);
        expect(outcome.error.message).toContain(image.path);
      }
      // The store's check for readers: a changed file is refused before its pixels are decoded.
      await expect(checkImageFile(ctx.workspace.current.images.get(image.id))).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'changed' } });
    }
    await expect(checkImageFile(ctx.workspace.current.images.get(byName.get('moved')?.id as number))).resolves.toBeUndefined();
    expect((await ctx.dispatch('system.ping', { echo: 'alive' })).ok).toBe(true);
  });

  it('the run that used the images keeps its record, and its images cannot be removed from under it', async () => {
    const run = await call<RunDetail>('runs.get', { id: runId });
    expect(run.images.map((i) => i.imageId).sort((a, b) => a - b)).toEqual([...byName.values()].map((i) => i.id).sort((a, b) => a - b));
    expect(run.images.every((i) => i.annotationVersion === 1)).toBe(true);
    for (const [i, image] of [...byName.values()].entries()) {
      const stored = await call<{ classMap: Uint8Array }>('annotations.get', { imageId: image.id });
      expect(Buffer.from(stored.classMap).equals(Buffer.from(stormMaps(W, H, i).classMap))).toBe(true);
    }
    const refused = await fail('images.remove', { ids: [byName.get('deleted')?.id] });
    expect(refused.code).toBe('CONFLICT');
    expect((await call<RunDetail>('runs.get', { id: runId })).images.length).toBe(7);
  });

  it('a whole folder gone: every image reported missing, and the record still answers', async () => {
    rmSync(data, { recursive: true, force: true });
    const report = await call<VerifyReport>('images.verify', { datasetId });
    expect(report.missing.length).toBe(6);
    expect(report.ok).toBe(1); // the relocated one lives elsewhere
    expect((await call<ImagePage>('images.list', { datasetId })).total).toBe(7);
    expect((await call<RunDetail>('runs.get', { id: runId })).images.length).toBe(7);
    const back = readFileSync(path.join(tmp, 'elsewhere', 'moved-copy.png'));
    expect(back.length).toBeGreaterThan(0);
  });
});
