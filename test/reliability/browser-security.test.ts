import * as crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { ErrorInfo } from '../../src-shared/contract/errors';
import type { JobInfo } from '../../src-shared/contract/jobs';
import type { ImportResult } from '../../src-shared/contract/images';
import type { AppContext } from '../../src-main/app/app-context';
import { encodeGrayPng } from '../../src-main/io/png/png-writer';
import type { BrowserServer } from '../../src-main/server/browser-server';
import { serve } from '../../src-main/server/serve';
import { tokenMatches } from '../../src-main/server/token';
import { connect, fakeRenderer, startServedApp, type ApiConnection } from './served-app';

// Counts the constant-time comparisons without changing them.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

let tmp: string;
let root: string;
let outside: string;
let ctx: AppContext;
let server: BrowserServer;
let conn: ApiConnection;
let datasetId: number;

const png = () => encodeGrayPng(new Uint8Array(16 * 12).fill(3), 16, 12);

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-security-'));
  root = path.join(tmp, 'allowed');
  outside = path.join(tmp, 'outside');
  mkdirSync(path.join(root, 'images'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'images', 'inside.png'), png());
  writeFileSync(path.join(outside, 'secret.png'), png());
  mkdirSync(path.join(root, '%2e%2e'));
  symlinkSync(outside, path.join(root, 'link-to-outside'));
  symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'secret-link.png'));
  symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'images', 'smuggled.png'));
  ({ ctx, server } = await serve({ port: 0, workspacePath: path.join(tmp, 'workspace'), allowRoots: [root], rendererDir: fakeRenderer(path.join(tmp, 'renderer')) }));
  conn = connect(server);
  datasetId = (await conn.api.datasets.create({ name: 'security' })).id;
});

afterAll(async () => {
  conn?.close();
  await server?.close();
  await ctx?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;

function upgrade(url: string, headers?: Record<string, string>): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => resolve('refused'));
  });
}

describe('the token', () => {
  it('is compared in constant time, for page requests and WebSocket upgrades alike', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(tokenMatches('abcdef', 'abcdef')).toBe(true);
    expect(tokenMatches('abcdef', 'abcdeg')).toBe(false);
    expect(tokenMatches('abcdef', 'abc')).toBe(false);
    expect(tokenMatches('abcdef', null)).toBe(false);
    // Unequal lengths are compared too (against itself), so the time does not tell the length.
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockClear();
    expect((await fetch(`${base()}/?token=${'x'.repeat(server.token.length)}`)).status).toBe(401);
    expect(await upgrade(`ws://127.0.0.1:${server.port}/api?token=wrong`)).toBe('refused');
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
  });
});

describe('cross-origin requests', () => {
  it.each(['OPTIONS', 'GET', 'POST'])('%s from another origin gets no CORS headers, with or without the token', async (method) => {
    for (const url of [`${base()}/`, `${base()}/?token=${server.token}`, `${base()}/api?token=${server.token}`]) {
      const res = await fetch(url, { method, headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
      if (method !== 'GET' || !url.includes('token')) expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('WebSocket upgrades carry the token and come from the page\'s own origin', async () => {
    const api = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
    expect(await upgrade(api, { Origin: base() })).toBe('open');
    expect(await upgrade(api)).toBe('open'); // a non-browser client sends no Origin; it still needs the token
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `http://127.0.0.1:${server.port}.evil.example`, `http://localhost.evil.example:${server.port}`, 'not a url']) {
      expect(await upgrade(api, { Origin: origin }), origin).toBe('refused');
    }
    expect(await upgrade(`ws://127.0.0.1:${server.port}/api`, { Origin: base() })).toBe('refused');
    expect(await upgrade(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).toBe('refused');
  });
});

describe('file access in browser mode', () => {
  async function importPaths(paths: string[]): Promise<{ ok: true; result: ImportResult } | { ok: false; error: ErrorInfo }> {
    const outcome = await conn.transport.call('images.import', { datasetId, paths, masks: false });
    if (!outcome.ok) return { ok: false, error: outcome.error };
    const job = await ctx.jobs.wait((outcome.value as JobInfo).id);
    return { ok: true, result: job.result as ImportResult };
  }

  it('imports from an allowed root, leaving out a symlink in it that points outside', async () => {
    const outcome = await importPaths([path.join(root, 'images')]);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.result.imported).toBe(1);
      expect(outcome.result.failures).toEqual([]);
    }
    const page = await conn.api.images.list({ datasetId });
    expect(page.items.map((i) => i.path)).toEqual([path.join(root, 'images', 'inside.png')]);
  });

  const escapes: [string, () => string][] = [
    ['an absolute path outside the roots', () => outside],
    ['a file outside the roots', () => path.join(outside, 'secret.png')],
    ['../ out of a root', () => path.join(root, '..', 'outside')],
    ['../ hidden after a real folder', () => `${root}/images/../../outside/secret.png`],
    ['a relative path (resolved against the server\'s folder)', () => 'outside'],
    ['a symlinked folder inside a root pointing outside', () => path.join(root, 'link-to-outside')],
    ['a file through a symlinked folder', () => path.join(root, 'link-to-outside', 'secret.png')],
    ['a symlinked file inside a root pointing outside', () => path.join(root, 'secret-link.png')],
    ['a NUL byte', () => `${root}/images\u0000/../../outside`],
    ['the file system root', () => '/'],
    ['the home folder (not a root here)', () => os.homedir()],
  ];

  it.each(escapes)('refuses %s with UNAUTHORIZED before anything is read', async (_label, make) => {
    const before = (await conn.api.images.list({ datasetId })).total;
    const outcome = await importPaths([make()]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(['UNAUTHORIZED', 'INVALID_ARGUMENT']).toContain(outcome.error.code);
    expect((await conn.api.images.list({ datasetId })).total).toBe(before);
  });

  it.each([
    ['%2e%2e/outside', () => `${root}/%2e%2e/outside`],
    ['%2e%2e%2foutside', () => `${root}/%2e%2e%2foutside`],
    ['..%2f..%2f', () => `${root}/images/..%2f..%2foutside`],
  ])('URL-encoded %s is never decoded: a name inside the root that does not exist', async (_label, make) => {
    const outcome = await importPaths([make()]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('NOT_FOUND');
    const page = await conn.api.images.list({ datasetId });
    expect(page.items.some((i) => i.path.startsWith(outside))).toBe(false);
  });

  it('other methods that take paths are limited the same way', async () => {
    for (const [method, input] of [
      ['images.verify', { datasetId, searchFolders: [outside] }],
      ['images.verify', { datasetId, searchFolders: [path.join(root, 'link-to-outside')] }],
      ['datasets.exportAnnotations', { id: datasetId, folder: path.join(outside, 'export') }],
      ['workspace.open', { path: path.join(outside, 'workspace') }],
    ] as const) {
      const outcome = await conn.transport.call(method, input);
      expect(outcome.ok, method).toBe(false);
      if (!outcome.ok) expect(outcome.error.code, method).toBe('UNAUTHORIZED');
    }
    // The workspace itself is always allowed.
    const inWorkspace = await conn.transport.call('datasets.exportAnnotations', { id: datasetId, folder: path.join(ctx.workspacePath, 'exports', 'mine') });
    expect(inWorkspace.ok).toBe(true);
  });
});

describe('serve-entry', () => {
  it('warns on stderr when listening beyond this machine, and still needs the token there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-host-'));
    const app = await startServedApp(['--host', '0.0.0.0', '--workspace', path.join(dir, 'ws'), '--allow-root', dir, '--renderer-dir', fakeRenderer(path.join(dir, 'r'))]);
    try {
      expect(app.stderr()).toMatch(/listening on 0\.0\.0\.0: anyone who can reach this address and has the token/);
      expect(app.output()).toContain(`Files: the workspace and ${dir}`);
      expect((await fetch(`http://127.0.0.1:${app.port}/`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${app.port}/?token=nope`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${app.port}/?token=${app.token}`)).status).toBe(200);
      expect(await upgrade(`ws://127.0.0.1:${app.port}/api`)).toBe('refused');
    } finally {
      await app.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
