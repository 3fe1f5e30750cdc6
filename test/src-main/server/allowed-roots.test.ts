import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPathPolicy, realLocation } from '../../../src-main/server/allowed-roots';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-roots-'));
const root = path.join(tmp, 'data');
mkdirSync(path.join(root, 'sub'), { recursive: true });
mkdirSync(path.join(tmp, 'data-other'));
mkdirSync(path.join(tmp, 'secret'));
symlinkSync(path.join(tmp, 'secret'), path.join(root, 'escape'));
symlinkSync(path.join(root, 'sub'), path.join(tmp, 'alias'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('allowed roots', () => {
  let workspace = path.join(tmp, 'ws-a');
  const allowed = createPathPolicy(() => [workspace, root]);

  it('allows a root, anything under it, and paths not created yet', () => {
    expect(allowed(root)).toBe(true);
    expect(allowed(path.join(root, 'sub'))).toBe(true);
    expect(allowed(path.join(root, 'sub', 'new', 'folder'))).toBe(true);
  });

  it('refuses siblings that merely share a prefix, parents, and the file system root', () => {
    expect(allowed(path.join(tmp, 'data-other'))).toBe(false);
    expect(allowed(tmp)).toBe(false);
    expect(allowed('/')).toBe(false);
  });

  it('judges symlinks by their target: out of a root is refused, into a root is allowed', () => {
    expect(allowed(path.join(root, 'escape'))).toBe(false);
    expect(allowed(path.join(root, 'escape', 'file.tif'))).toBe(false);
    expect(allowed(path.join(tmp, 'alias'))).toBe(true);
    expect(realLocation(path.join(root, 'escape', 'not', 'there'))).toBe(path.join(realLocation(path.join(tmp, 'secret')), 'not', 'there'));
  });

  it('refuses NUL bytes and empty paths, and follows the workspace when another is opened', () => {
    expect(allowed(`${root}\u0000/../secret`)).toBe(false);
    expect(allowed('')).toBe(false);
    expect(allowed(path.join(tmp, 'ws-b', 'exports'))).toBe(false);
    workspace = path.join(tmp, 'ws-b');
    expect(allowed(path.join(tmp, 'ws-b', 'exports'))).toBe(true);
    expect(allowed(path.join(tmp, 'ws-a'))).toBe(false);
  });
});
