import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { AnnotationData, AnnotationSaveResult, AnnotationVersionInfo, DatasetDetail } from '../../src-shared/contract/records';
import { createAppContext, type AppContext } from '../../src-main/app/app-context';
import { writeFigures } from './figures';
import { bindReadOnly, mountTmpfs, mountUnavailable, unmount } from './mounts';
import { stormMaps } from './save-storm';

/*
 * A full disk and a read-only workspace: every failed write is a typed error (DISK_FULL, READ_ONLY),
 * nothing already saved is lost or damaged, and writing resumes once the cause is gone. SQLite's own
 * limits inject the faults everywhere; real file systems (a 2 MiB tmpfs, a read-only bind mount) are
 * used where this process may mount, and file permissions where it runs as an ordinary user.
 */

const isRoot = process.getuid?.() === 0;
const mountReason = mountUnavailable();
const readOnlyReason = mountReason === null || !isRoot ? null : mountReason;

interface Session {
  ctx: AppContext;
  workspace: string;
  imageId: number;
  datasetId: number;
  /** The counter each saved version was made from. */
  saved: Map<number, number>;
  save(counter: number): Promise<{ ok: true; version: number } | { ok: false; error: ErrorInfo }>;
  call<T>(method: string, input?: unknown): Promise<T>;
  /** Every saved version is stored with its exact maps, and nothing else is. */
  expectIntact(): Promise<void>;
}

async function openSession(workspace: string, width: number, height: number): Promise<Session> {
  const ctx = createAppContext({ mode: 'cli', workspacePath: workspace });
  const call = async <T>(method: string, input?: unknown): Promise<T> => {
    const outcome = await ctx.dispatch(method, input);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
    return outcome.value as T;
  };
  const dataset = await call<DatasetDetail>('datasets.create', { name: 'faults' });
  const image = ctx.workspace.current.images.insert({
    datasetId: dataset.id, path: path.join(workspace, 'cells.tif'), name: 'cells.tif', size: 1, mtimeMs: 1, contentHash: 'x',
    width, height, frames: 1, channels: 1, dtype: 'uint16', pixelSizeUm: null,
  });
  const saved = new Map<number, number>();
  let base = 0;
  const session: Session = {
    ctx,
    workspace,
    imageId: image.id,
    datasetId: dataset.id,
    saved,
    call,
    async save(counter) {
      const outcome = await ctx.dispatch('annotations.save', { imageId: image.id, baseVersion: base, ...stormMaps(width, height, counter) });
      if (!outcome.ok) return { ok: false, error: outcome.error };
      base = (outcome.value as AnnotationSaveResult).version;
      saved.set(base, counter);
      return { ok: true, version: base };
    },
    expectIntact: () => expectIntact(ctx, image.id, saved, width, height),
  };
  return session;
}

/** Every saved version is stored with its exact maps, and no other version exists. */
async function expectIntact(ctx: AppContext, imageId: number, saved: Map<number, number>, width: number, height: number): Promise<void> {
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const outcome = await ctx.dispatch(method, input);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
    return outcome.value as T;
  };
  const history = await call<AnnotationVersionInfo[]>('annotations.history', { imageId });
  expect(history.map((h) => h.version).sort((a, b) => a - b)).toEqual([...saved.keys()].sort((a, b) => a - b));
  for (const [version, counter] of saved) {
    const stored = await call<AnnotationData>('annotations.get', { imageId, version });
    const expected = stormMaps(width, height, counter);
    expect(Buffer.from(stored.classMap).equals(Buffer.from(expected.classMap)), `class map of version ${version}`).toBe(true);
    expect(Buffer.from(stored.instanceMap.buffer, stored.instanceMap.byteOffset, stored.instanceMap.byteLength).equals(Buffer.from(expected.instanceMap.buffer))).toBe(true);
  }
}

function integrityOf(workspace: string): string {
  const db = new Database(path.join(workspace, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

const figures: Record<string, unknown> = {};
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-disk-'));
});
afterAll(() => {
  writeFigures('disk-faults', figures);
  rmSync(tmp, { recursive: true, force: true });
});

describe('disk full', () => {
  it('at SQLite\'s page limit mid-session: DISK_FULL, earlier saves intact, writing resumes when space is back', async () => {
    const s = await openSession(path.join(tmp, 'page-limit'), 128, 96);
    try {
      for (let i = 0; i < 5; i++) expect((await s.save(i)).ok).toBe(true);
      const db = s.ctx.workspace.current.db;
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
      const refused: ErrorInfo[] = [];
      for (let i = 5; i < 9; i++) {
        const outcome = await s.save(i);
        if (!outcome.ok) refused.push(outcome.error);
      }
      expect(refused.length).toBe(4);
      for (const error of refused) {
        expect(error.code).toBe('DISK_FULL');
        expect(error.message).toContain(s.workspace);
      }
      await s.expectIntact();
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.pragma('max_page_count = 1073741823');
      expect(await s.save(9)).toMatchObject({ ok: true, version: 6 });
      await s.expectIntact();
      figures.pageLimit = { refusedSaves: refused.length, codes: [...new Set(refused.map((e) => e.code))], savesKept: s.saved.size, lost: 0 };
    } finally {
      await s.ctx.close();
    }
  });

  const tmpfsReason = mountReason;
  it.skipIf(tmpfsReason)(`on a real 2 MiB file system that fills up${tmpfsReason ? ` (skipped: ${tmpfsReason})` : ''}`, async () => {
    const fs = path.join(tmp, 'tmpfs');
    mkdirSync(fs);
    mountTmpfs(fs, 2 * 2 ** 20);
    let s: Session | undefined;
    try {
      const filler = path.join(fs, 'filler.bin');
      writeFileSync(filler, new Uint8Array(384 * 1024));
      s = await openSession(path.join(fs, 'workspace'), 160, 160);
      let first: ErrorInfo | undefined;
      for (let i = 0; i < 200 && !first; i++) {
        const outcome = await s.save(i);
        if (!outcome.ok) first = outcome.error;
      }
      expect(first, 'the file system never filled up').toBeDefined();
      expect(first?.code).toBe('DISK_FULL');
      expect(s.saved.size).toBeGreaterThan(2);
      await s.expectIntact();
      // A file written by the app (an export) fails the same way.
      const exported = await s.call<JobInfo>('datasets.exportAnnotations', { id: s.datasetId, folder: path.join(fs, 'export'), format: 'tiff' });
      const job = await s.ctx.jobs.wait(exported.id);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('DISK_FULL');
      rmSync(filler);
      rmSync(path.join(fs, 'export'), { recursive: true, force: true });
      const resumed = await s.save(1000);
      expect(resumed.ok, JSON.stringify(resumed)).toBe(true);
      await s.expectIntact();
      figures.tmpfs = { savesBeforeFull: s.saved.size - 1, firstError: first?.code, exportError: job.error?.code, lost: 0 };
      await s.ctx.close();
      s = undefined;
      expect(integrityOf(path.join(fs, 'workspace'))).toBe('ok');
    } finally {
      await s?.ctx.close();
      unmount(fs);
    }
  });
});

describe('read-only workspace', () => {
  it('turning read-only mid-session (SQLite query_only): READ_ONLY for every kind of write, reads go on', async () => {
    const s = await openSession(path.join(tmp, 'query-only'), 64, 48);
    try {
      for (let i = 0; i < 3; i++) expect((await s.save(i)).ok).toBe(true);
      const db = s.ctx.workspace.current.db;
      db.pragma('query_only = ON');
      const writes: [string, unknown][] = [
        ['datasets.create', { name: 'more' }],
        ['datasets.rename', { id: s.datasetId, name: 'renamed' }],
        ['images.setSplit', { ids: [s.imageId], split: 'train' }],
      ];
      const outcomes = [await s.save(3), ...(await Promise.all(writes.map(([m, input]) => s.ctx.dispatch(m, input))))];
      for (const outcome of outcomes) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.code).toBe('READ_ONLY');
      }
      await s.expectIntact();
      db.pragma('query_only = OFF');
      expect((await s.save(4)).ok).toBe(true);
      await s.expectIntact();
      figures.queryOnly = { refusedWrites: outcomes.length, codes: ['READ_ONLY'], lost: 0 };
    } finally {
      await s.ctx.close();
    }
  });

  it.skipIf(readOnlyReason)(`a workspace folder on a read-only file system (or without write permission): READ_ONLY, nothing changed${readOnlyReason ? ` (skipped: ${readOnlyReason})` : ''}`, async () => {
    const source = path.join(tmp, 'rw');
    const workspace = path.join(source, 'workspace');
    const s = await openSession(workspace, 64, 48);
    for (let i = 0; i < 3; i++) expect((await s.save(i)).ok).toBe(true);
    await s.ctx.close();
    const before = readdirSync(workspace).sort();

    // Root ignores permission bits, so as root the folder is shown through a read-only bind mount.
    const viaMount = isRoot;
    const view = path.join(tmp, 'ro');
    if (viaMount) {
      mkdirSync(view);
      bindReadOnly(source, view);
    } else {
      chmodSync(path.join(workspace, 'workspace.sqlite'), 0o444);
      chmodSync(workspace, 0o555);
    }
    const target = viaMount ? path.join(view, 'workspace') : workspace;
    const ctx = createAppContext({ mode: 'cli', workspacePath: target });
    try {
      const opened = await ctx.dispatch('workspace.current', undefined);
      const saved = await ctx.dispatch('annotations.save', { imageId: s.imageId, baseVersion: 3, ...stormMaps(64, 48, 99) });
      for (const outcome of [opened, saved]) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) {
          expect(outcome.error.code).toBe('READ_ONLY');
          expect(outcome.error.message).toContain(target);
        }
      }
      figures.readOnlyFolder = { via: viaMount ? 'read-only bind mount' : 'permissions', code: opened.ok ? null : opened.error.code };
    } finally {
      await ctx.close();
      if (viaMount) unmount(view);
      else {
        chmodSync(workspace, 0o755);
        chmodSync(path.join(workspace, 'workspace.sqlite'), 0o644);
      }
    }
    expect(readdirSync(workspace).sort()).toEqual(before);
    expect(integrityOf(workspace)).toBe('ok');
    const reopened = createAppContext({ mode: 'cli', workspacePath: workspace });
    try {
      await expectIntact(reopened, s.imageId, s.saved, 64, 48);
    } finally {
      await reopened.close();
    }
  });
});
