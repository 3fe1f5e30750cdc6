import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { checkLayers } from '../../scripts/check-layers.mjs';

const script = path.resolve(__dirname, '../../scripts/check-layers.mjs');
let root: string;

function tree(files: Record<string, string>): string {
  root = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('layer check', () => {
  it('passes a clean tree', () => {
    const dir = tree({
      'src-shared/a.ts': "import { z } from 'zod';\nexport const a = 1;",
      'src-main/b.ts': "import fs from 'node:fs';\nimport { a } from '../src-shared/a';",
      'src-renderer/src/c.ts': "import { a } from '../../src-shared/a';",
    });
    expect(checkLayers(dir)).toEqual([]);
  });

  it.each([
    ['src-shared/a.ts', "import fs from 'node:fs';", /src-shared must stay pure/],
    ['src-shared/a.ts', "import * as tf from '@tensorflow/tfjs-core';", /src-shared must stay pure/],
    ['src-shared/a.ts', "export { x } from '../src-main/x';", /src-shared must not import src-main/],
    ['src-shared/a.ts', "const e = await import('electron');", /src-shared must stay pure/],
    ['src-main/b.ts', "import X from '../src-renderer/src/App.svelte';", /src-main must not import src-renderer/],
    ['src-renderer/src/c.ts', "import { serve } from '../../src-main/server/serve';", /src-renderer must not import src-main/],
    ['src-renderer/src/c.ts', "const fs = require('fs');", /src-renderer runs without Node/],
    ['src-renderer/src/C.svelte', "<script>import { ipcRenderer } from 'electron';</script>", /src-renderer runs without Node/],
  ])('reports a violation in %s: %s', (file, text, message) => {
    const dir = tree({ [file]: text });
    const violations: string[] = checkLayers(dir);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(message);
  });

  it('fails the command (non-zero exit) on a deliberate violation', () => {
    const dir = tree({ 'src-shared/bad.ts': "import { readFileSync } from 'node:fs';" });
    let status = 0;
    try {
      execFileSync(process.execPath, [script, dir], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
  });

  it('passes on this repository', () => {
    expect(checkLayers(path.resolve(__dirname, '../..'))).toEqual([]);
    root = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  });
});
