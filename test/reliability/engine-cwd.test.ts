import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBlobFolders } from '../src-main/pipeline/blob-folders';
import { writeFigures } from './figures';
import { ROOT } from './served-app';

// The engine process is forked with tsx's loader: it must resolve when the command line is started
// from a folder outside the checkout, as users do (`cd ~/data && unet-studio train ...`).
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-cwd-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the command line started from another working folder', () => {
  it('trains: the engine process starts and the model is written', async () => {
    const data = await writeBlobFolders(path.join(dir, 'cells'), { count: 3, width: 64, height: 64, masks: 'binary' });
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'unet-engine-cwd-elsewhere-'));
    try {
      const t0 = performance.now();
      const run = spawnSync(
        process.execPath,
        [path.join(ROOT, 'bin', 'unet-studio.js'), 'train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, 'model'), '--preset', 'tiny', '--steps', '2', '--workspace', path.join(dir, 'workspace'), '--json'],
        { cwd: elsewhere, encoding: 'utf8', timeout: 90_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { status: string; steps: number; error: unknown };
      expect(result).toMatchObject({ status: 'succeeded', steps: 2, error: null });
      expect(existsSync(path.join(dir, 'model', 'model.onnx'))).toBe(true);
      writeFigures('engine-cwd', { cwd: elsewhere, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)), status: result.status });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 120_000);
});
