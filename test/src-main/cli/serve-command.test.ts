import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/contract/images';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import { runCli } from '../../../src-main/cli/program';
import { writeLabelImage } from '../../../src-main/io/write-image';
import { connect, fakeRenderer, waitForJob } from '../../reliability/served-app';
import { cli } from './cli-io';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let dir: string;
const roots: string[] = [];
let outside: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-serve-command-'));
  for (const name of ['first', 'second', 'outside']) {
    const folder = path.join(dir, name);
    mkdirSync(folder);
    await writeLabelImage(path.join(folder, `${name}.png`), new Uint8Array(16 * 16).fill(7), 16, 16);
    if (name === 'outside') outside = folder;
    else roots.push(folder);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `unet-studio serve --json ...args` in this process until `stop` is aborted. */
async function serveCommand(args: string[]) {
  const stop = new AbortController();
  const stdout = new Capture();
  const stderr = new Capture();
  const exit = runCli(['serve', '--port', '0', '--renderer-dir', fakeRenderer(path.join(dir, 'renderer')), '--workspace', path.join(dir, 'workspace'), '--json', ...args], { stdout, stderr }, stop.signal);
  const t0 = Date.now();
  while (!stdout.text.trim().endsWith('}')) {
    if (Date.now() - t0 > 30_000) throw new Error(`serve did not start: ${stderr.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const result = JSON.parse(stdout.text) as { url: string; allowRoots: string[] };
  const url = new URL(result.url);
  return { result, port: Number(url.port), token: url.searchParams.get('token') ?? '', stop: () => stop.abort(), exit };
}

describe('unet-studio serve --allow-root', () => {
  it('limits the browser to the workspace and the given folders (repeatable)', async () => {
    const served = await serveCommand(['--allow-root', roots[0], '--allow-root', roots[1]]);
    const conn = connect(served);
    try {
      expect(served.result.allowRoots).toEqual(roots);
      const { id: datasetId } = await conn.api.datasets.create({ name: 'roots' });
      for (const root of roots) {
        const job = await conn.api.images.import({ datasetId, paths: [root], masks: false });
        const ended: JobInfo = await waitForJob(conn.api, job.id);
        expect((ended.result as ImportResult).imported, root).toBe(1);
      }
      const refused = await conn.transport.call('images.import', { datasetId, paths: [outside], masks: false });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('UNAUTHORIZED');
      expect((await conn.api.images.list({ datasetId })).total).toBe(2);
    } finally {
      conn.close();
      served.stop();
    }
    expect(await served.exit).toBe(0);
  });

  it('defaults to the home folder', async () => {
    const served = await serveCommand([]);
    served.stop();
    expect(await served.exit).toBe(0);
    expect(served.result.allowRoots).toEqual([os.homedir()]);
  });

  it('refuses a root that is not a folder as a usage error', async () => {
    const missing = await cli('serve', '--allow-root', path.join(dir, 'nope'), '--port', '0');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`unet-studio serve: --allow-root ${path.join(dir, 'nope')}: no such folder`);
    const file = await cli('serve', '--allow-root', path.join(outside, 'outside.png'), '--port', '0');
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/is a file, not a folder/);
  });
});
