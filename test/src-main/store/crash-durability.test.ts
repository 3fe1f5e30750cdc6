import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database';
import { Workspace } from '../../../src-main/store/workspace';
import { crashMaps } from './crash-maps';
import { fakeImage, tempDir } from './temp-workspace';

const here = path.dirname(fileURLToPath(import.meta.url));
const WIDTH = 96;
const HEIGHT = 64;
const ACKS_BEFORE_KILL = 40;

/** Runs the writer until it has acknowledged `acks` saves, then SIGKILLs it; resolves with every ACK seen. */
function runAndKill(dir: string, imageId: number, acks: number): Promise<{ version: number; seed: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir, String(imageId), String(WIDTH), String(HEIGHT)], {
      cwd: path.resolve(here, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seen: { version: number; seed: number }[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ACK (\d+) (\d+)$/.exec(line);
        if (match) seen.push({ version: Number(match[1]), seed: Number(match[2]) });
        else if (line.trim()) stderr += `${line}\n`;
      }
      if (!killed && seen.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(seen);
      else reject(new Error(`writer exited early (code ${code}, signal ${signal}) after ${seen.length} saves:\n${stderr}`));
    });
  });
}

describe('annotation saves survive SIGKILL', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('every acknowledged version is present and identical after the writer is killed mid-way', async () => {
    const dir = tempDir('unet-crash-');
    cleanups.push(dir.remove);
    const setup = Workspace.open(dir.path);
    const datasetId = setup.datasets.create({ name: 'crash' }).id;
    const imageId = setup.images.insert(fakeImage(datasetId, 'a.png', WIDTH, HEIGHT)).id;
    setup.close();

    const acks = await runAndKill(dir.path, imageId, ACKS_BEFORE_KILL);
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(acks.map((a) => a.version)).toEqual(acks.map((_, i) => i + 1));

    // Check the file as the crash left it, before any open could checkpoint or repair anything.
    const raw = openDatabase(path.join(dir.path, 'workspace.sqlite'), { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const ws = Workspace.open(dir.path);
    cleanups.unshift(() => ws.close());
    expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(ws.db.pragma('foreign_key_check')).toEqual([]);
    const latest = ws.annotations.latestVersion(imageId);
    // The process may have committed one more save whose ACK never got out; never fewer.
    expect(latest).toBeGreaterThanOrEqual(acks[acks.length - 1].version);
    for (const { version, seed } of acks) {
      const stored = ws.annotations.version(imageId, version);
      const expected = crashMaps(WIDTH, HEIGHT, seed);
      expect(Buffer.from(stored.classMap).equals(Buffer.from(expected.classMap)), `class map of version ${version}`).toBe(true);
      expect(Buffer.from(stored.instanceMap.buffer).equals(Buffer.from(expected.instanceMap.buffer)), `instance map of version ${version}`).toBe(true);
    }
    expect(ws.annotations.history(imageId).map((h) => h.version)).toEqual(Array.from({ length: latest }, (_, i) => latest - i));
  });
});
