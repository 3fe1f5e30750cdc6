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
      'src-main/cli/b.ts': "import fs from 'node:fs';\nimport { a } from '../../src-shared/a';",
      'src-renderer/src/c.ts': "import { a } from '../../src-shared/a';",
    });
    expect(checkLayers(dir)).toEqual([]);
  });

  it.each([
    ['src-shared/a.ts', "import fs from 'node:fs';", /src-shared must stay pure/],
    ['src-shared/a.ts', "import * as tf from '@tensorflow/tfjs-core';", /src-shared must stay pure/],
    ['src-shared/a.ts', "export { x } from '../src-main/x';", /src-shared must not import src-main/],
    ['src-shared/a.ts', "const e = await import('electron');", /src-shared must stay pure/],
    ['src-main/cli/b.ts', "import X from '../../src-renderer/src/App.svelte';", /src-main must not import src-renderer/],
    ['src-renderer/src/c.ts', "import { serve } from '../../src-main/server/serve';", /src-renderer must not import src-main/],
    ['src-renderer/src/c.ts', "const fs = require('fs');", /src-renderer runs without Node/],
    ['src-renderer/src/C.svelte', "<script>import { ipcRenderer } from 'electron';</script>", /src-renderer runs without Node/],
  ])('reports a violation in %s: %s', (file, text, message) => {
    const dir = tree({ [file]: text });
    const violations: string[] = checkLayers(dir);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(message);
  });

  describe('folders of src-main', () => {
    const services = { 'src-main/services/images-service.ts': 'export const images = 1;' };

    it('passes an import of a folder below (pipeline imports store, every folder imports support)', () => {
      const dir = tree({
        'src-main/store/workspace.ts': "import { packageInfo } from '../support/app-info';\nexport const ws = packageInfo;",
        'src-main/pipeline/run.ts': "import { ws } from '../store/workspace';\nexport const run = await import('../store/workspace');",
        'src-main/support/app-info.ts': 'export const packageInfo = 1;',
        'src-main/store/import/import-images.ts': "import { ws } from '../workspace';",
        ...services,
      });
      expect(checkLayers(dir)).toEqual([]);
    });

    it.each([
      ['src-main/store/workspace.ts', "import { images } from '../services/images-service';", /src-main\/store may not import src-main\/services \("\.\.\/services\/images-service"\); it may import io, jobs, support/],
      ['src-main/store/import/import-images.ts', "import type { images } from '../../services/images-service';", /src-main\/store may not import src-main\/services/],
      ['src-main/pipeline/demo.ts', "const m = await import('../services/images-service');", /src-main\/pipeline may not import src-main\/services/],
      ['src-main/support/logger.ts', "export { images } from '../services/images-service';", /src-main\/support may not import src-main\/services/],
    ])('reports a back-edge in %s: %s', (file, text, message) => {
      const dir = tree({ [file]: text, ...services });
      const violations: string[] = checkLayers(dir);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatch(message);
      expect(violations[0]).toContain(`${file}:1:`);
    });

    it('reports a folder that the table does not place, and a file at the top of src-main', () => {
      const dir = tree({ 'src-main/helpers/x.ts': 'export const x = 1;', 'src-main/y.ts': 'export const y = 1;' });
      const violations: string[] = checkLayers(dir);
      expect(violations).toHaveLength(2);
      expect(violations.join('\n')).toMatch(/src-main\/helpers is not a folder of the layer table/);
      expect(violations.join('\n')).toMatch(/src-main\/\(top level\) is not a folder of the layer table/);
    });

    it('fails the command on a back-edge inside src-main', () => {
      const dir = tree({ 'src-main/store/workspace.ts': "import { images } from '../services/images-service';", ...services });
      let status = 0;
      try {
        execFileSync(process.execPath, [script, dir], { stdio: 'pipe' });
      } catch (error) {
        status = (error as { status: number }).status;
      }
      expect(status).toBe(1);
    });
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
