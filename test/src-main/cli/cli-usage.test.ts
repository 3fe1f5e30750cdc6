import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from '../../../src-main/cli/cli-errors';
import { writeBlobFolders } from '../pipeline/blob-folders';
import { cli } from './cli-io';

let dir: string;
let data: { images: string; masks: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'unet-cli-usage-'));
  data = await writeBlobFolders(path.join(dir, 'data'), { count: 2, width: 48, height: 48 });
  mkdirSync(path.join(dir, 'other-masks'));
  writeFileSync(path.join(dir, 'a-file.txt'), 'not a folder');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A usage error: exit code 2 and exactly one line on stderr, naming the problem, with no stack trace. */
function expectUsage(run: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(run.code).toBe(EXIT_USAGE);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
}

describe('command line usage errors', () => {
  it('missing required options', async () => {
    expectUsage(await cli('train', '--images', data.images), /required option '--masks <dir>' not specified/);
    expectUsage(await cli('segment', '--model', dir), /required option '--images <paths\.\.\.>' not specified/);
    expectUsage(await cli('evaluate'), /required option '--pred <dir>' not specified/);
  });

  it('unknown flags and commands', async () => {
    expectUsage(await cli('evaluate', '--pred', dir, '--masks', dir, '--bogus'), /unknown option '--bogus'/);
    expectUsage(await cli('frobnicate'), /unknown command 'frobnicate'/);
  });

  it('bad values', async () => {
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--steps', 'many'), /--steps.*not a whole number/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--preset', 'huge'), /--preset.*one of paper, fast, tiny/);
    expectUsage(await cli('segment', '--model', dir, '--images', dir, '--out', dir, '--shard', '4/3'), /--shard.*I\/N/);
    expectUsage(await cli('demo', '--fine-tune', '--init', 'run:1', '--workspace', dir), /--init and --fine-tune both name a starting model/);
    expectUsage(await cli('demo', '--init', 'run:1', '--border-class', 'off', '--workspace', dir), /keeps the starting model's border class/);
    expectUsage(await cli('demo', '--border-class', 'maybe', '--workspace', dir), /border-class/);
    expectUsage(await cli('demo', '--fine-tune', '--from-scratch', '--workspace', dir), /--fine-tune already trains a model from scratch/);
    expectUsage(await cli('demo', '--from-scratch', '--init', 'run:1', '--workspace', dir), /--from-scratch and --init contradict/);
    expectUsage(await cli('demo', '--border-class', 'off', '--workspace', dir), /fine-tunes starter:nuclei.*add --from-scratch/);
    expectUsage(await cli('demo', '--preset', 'tiny', '--workspace', dir), /fine-tunes starter:nuclei.*add --from-scratch to train the tiny preset/);
    expectUsage(await cli('demo', '--scale', '1', '--workspace', dir), /--scale.*at most 0\.7, got 1/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--weight-average', '1'), /--weight-average.*at most 0\.9999, got 1/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--weight-average', 'on'), /--weight-average.*"on" is not a number/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--class-weights', 'balanced'), /--class-weights.*one of per-image, data-set, none/);
    expectUsage(await cli('demo', '--class-weights', 'equal', '--workspace', dir), /--class-weights.*one of per-image, data-set, none/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--gamma', '2'), /--gamma.*at most 1\.5, got 2/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--scale', '0.9'), /--scale.*at most 0\.7, got 0\.9/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', dir, '--upscale', '5'), /--upscale.*between 1 and 4, got 5/);
    expectUsage(await cli('demo', '--upscale', 'big', '--workspace', dir), /--upscale.*"big" is not a whole number/);
  });

  it('a file where a folder is expected, and a folder that does not exist', async () => {
    expectUsage(await cli('train', '--images', path.join(dir, 'a-file.txt'), '--masks', data.masks, '--out', path.join(dir, 'm')), /--images .*a-file\.txt: is a file, not a folder/);
    expectUsage(await cli('evaluate', '--pred', path.join(dir, 'missing'), '--masks', data.masks), /--pred .*missing: no such folder/);
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, 'a-file.txt')), /--out .*is a file, not a folder/);
  });

  it('no mask matching any image', async () => {
    expectUsage(await cli('train', '--images', data.images, '--masks', path.join(dir, 'other-masks'), '--out', path.join(dir, 'm')), /no mask in .*other-masks has the file name of an image/);
    expectUsage(await cli('evaluate', '--pred', data.images, '--masks', path.join(dir, 'other-masks')), /no prediction in .* has a mask of the same name/);
  });

  it('validation options that do not go together', async () => {
    expectUsage(await cli('train', '--images', data.images, '--masks', data.masks, '--out', path.join(dir, 'm'), '--val-images', data.images), /--val-images and --val-masks go together/);
  });

  it('--help of every command exits 0 and lists the common options', async () => {
    for (const command of ['train', 'segment', 'evaluate', 'info', 'serve', 'export', 'import-model', 'merge-workspaces', 'demo']) {
      const run = await cli(command, '--help');
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(/--workspace <dir>/);
      expect(run.stdout, command).toMatch(/--json/);
    }
  });
});

describe('the unet-studio executable', () => {
  const bin = path.resolve(__dirname, '../../../bin/unet-studio.js');

  it('runs from the sources without a build and passes exit codes through', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: unet-studio/);
    const bad = spawnSync(process.execPath, [bin, 'evaluate', '--pred'], { encoding: 'utf8' });
    expect(bad.status).toBe(EXIT_USAGE);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
