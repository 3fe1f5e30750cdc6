#!/usr/bin/env node
// The layer rule of the codebase, checked mechanically (it fails `npm test`):
//   src-shared   imports nothing but itself and a few pure packages (no node:*, electron, tfjs, DOM code);
//   src-main     never imports src-renderer;
//   src-renderer never imports src-main, electron or Node built-ins.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_EXT = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
const SHARED_PACKAGES = new Set(['zod', 'fflate']);
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

// import x from 'a'; import 'a'; export * from 'a'; import('a'); require('a')
const SPECIFIER = /(?:^|[;\s{}(>])(?:import\s+(?:[\w*{}\s,$]+\s+from\s*)?|import\s*\{[^}]*\}\s*from\s*|export\s*(?:[\w*{}\s,$]+\s*from\s*)|import\s*\(\s*|require\s*\(\s*)['"]([^'"\n]+)['"]/gm;

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    // Build configuration (vite.config.ts, svelte.config.js) runs in Node at build time, not in a layer.
    else if (SOURCE_EXT.test(entry.name) && !entry.name.endsWith('.d.ts') && !/\.config\.[cm]?[jt]s$/.test(entry.name)) yield full;
  }
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Returns the layer a resolved relative import lands in, or undefined outside the three source folders. */
function layerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep)[0];
  return ['src-shared', 'src-main', 'src-renderer'].includes(rel) ? rel : undefined;
}

export function checkLayers(root) {
  const violations = [];
  for (const layer of ['src-shared', 'src-main', 'src-renderer']) {
    for (const file of walk(path.join(root, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const spec = match[1];
        const line = text.slice(0, match.index).split('\n').length;
        const where = `${path.relative(root, file)}:${line}`;
        if (spec.startsWith('.')) {
          const target = layerOf(root, path.resolve(path.dirname(file), spec));
          if (layer === 'src-shared' && target && target !== 'src-shared') violations.push(`${where}: src-shared must not import ${target} ("${spec}")`);
          if (layer === 'src-main' && target === 'src-renderer') violations.push(`${where}: src-main must not import src-renderer ("${spec}")`);
          if (layer === 'src-renderer' && target === 'src-main') violations.push(`${where}: src-renderer must not import src-main ("${spec}")`);
          continue;
        }
        if (spec.startsWith('/') || spec.startsWith('$') || spec.startsWith('virtual:')) continue;
        const pkg = packageName(spec);
        if (layer === 'src-shared' && !SHARED_PACKAGES.has(pkg)) {
          violations.push(`${where}: src-shared must stay pure; it may not import "${spec}"`);
        }
        if (layer === 'src-renderer' && (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(pkg) || pkg === 'electron')) {
          violations.push(`${where}: src-renderer runs without Node; it may not import "${spec}"`);
        }
      }
    }
  }
  return violations;
}

function isMain() {
  return process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  if (!statSync(root).isDirectory()) throw new Error(`not a folder: ${root}`);
  const violations = checkLayers(root);
  if (violations.length) {
    console.error(`Layer check failed (${violations.length}):\n  ${violations.join('\n  ')}`);
    process.exit(1);
  }
  console.log('Layer check passed: src-shared is pure; src-main and src-renderer do not import each other.');
}
