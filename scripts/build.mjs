#!/usr/bin/env node
// Builds what the app runs from: the renderer (Vite) into dist/renderer and the Node side (esbuild)
// into dist/main. `--renderer` builds only the renderer; `--if-stale` skips work whose output is newer
// than every source file.
import { build as esbuild } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

function newestMtime(dirs) {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const d of dirs) if (existsSync(d)) visit(d);
  return newest;
}

function isStale(output, sources) {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(sources);
}

export async function buildRenderer({ ifStale = false } = {}) {
  const out = path.join(root, 'dist', 'renderer', 'index.html');
  if (ifStale && !isStale(out, [path.join(root, 'src-renderer'), path.join(root, 'src-shared')])) return false;
  await viteBuild({ configFile: path.join(root, 'src-renderer', 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

const MAIN_ENTRIES = [
  { in: 'src-main/electron/main.ts', out: 'electron-main.js', format: 'esm' },
  { in: 'src-main/electron/preload.ts', out: 'preload.cjs', format: 'cjs' },
  { in: 'src-main/engine/engine-process.ts', out: 'engine-process.js', format: 'esm' },
  { in: 'src-main/engine/batch-worker.ts', out: 'batch-worker.js', format: 'esm' },
  { in: 'src-main/cli/cli-main.ts', out: 'cli.js', format: 'esm' },
];

export async function buildMain({ ifStale = false } = {}) {
  const outDir = path.join(root, 'dist', 'main');
  const sources = [path.join(root, 'src-main'), path.join(root, 'src-shared')];
  if (ifStale && !isStale(path.join(outDir, 'electron-main.js'), sources)) return false;
  for (const entry of MAIN_ENTRIES) {
    if (!existsSync(path.join(root, entry.in))) continue;
    await esbuild({
      entryPoints: [path.join(root, entry.in)],
      outfile: path.join(outDir, entry.out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: entry.format,
      // The preload runs sandboxed and may only require 'electron': bundle everything else into it.
      packages: entry.format === 'cjs' ? undefined : 'external',
      external: ['electron'],
      sourcemap: true,
      logLevel: 'warning',
    });
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = args.has('--if-stale');
  const t0 = Date.now();
  const renderer = await buildRenderer({ ifStale });
  const main = args.has('--renderer') ? false : await buildMain({ ifStale });
  console.log(`build: renderer ${renderer ? 'built' : 'up to date'}, main ${main ? 'built' : args.has('--renderer') ? 'skipped' : 'up to date'} (${Date.now() - t0} ms)`);
}
