#!/usr/bin/env node
// The layer rules of the codebase, checked mechanically (it fails `npm test`):
//   src-shared   imports nothing but itself and a few pure packages (no node:*, electron, tfjs, DOM code);
//   src-main     never imports src-renderer, and its folders import only the folders below them (MAIN_FOLDERS);
//   src-renderer never imports src-main, electron or Node built-ins.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_EXT = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
const SHARED_PACKAGES = new Set(['zod', 'fflate']);
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * The folders of src-main, top to bottom, and the other folders each may import (any folder may import
 * itself and src-shared). Entry points start the app; `app` wires it; `services` adapt the contract to
 * the use cases of `pipeline`; these run on the workspace (`store`), the network (`engine`) and image
 * files (`io`); `support` holds leaf utilities that everyone may use. A folder missing here is an error,
 * so that a new one is placed on purpose.
 */
export const MAIN_FOLDERS = {
  // Entry points: the bundled server script, the command line, the desktop shell, the browser-mode server.
  entries: ['server', 'support'],
  cli: ['workflows', 'server', 'app', 'pipeline', 'store', 'engine', 'io', 'jobs', 'api', 'support'],
  electron: ['app', 'io', 'support'],
  server: ['app', 'support'],
  // Command-line workflows: several use cases in a row, driven through an app context.
  workflows: ['app', 'pipeline', 'store', 'engine', 'io', 'jobs', 'api', 'support'],
  // The composition root: the only folder that builds services.
  app: ['services', 'pipeline', 'store', 'engine', 'io', 'jobs', 'api', 'support'],
  services: ['pipeline', 'store', 'engine', 'io', 'jobs', 'api', 'support'],
  pipeline: ['store', 'engine', 'io', 'jobs', 'api', 'support'],
  store: ['io', 'jobs', 'support'],
  engine: ['io', 'support'],
  io: ['support'],
  // The job manager, and the dispatcher with its event bus: small runtime pieces below the use cases.
  jobs: ['support'],
  api: ['support'],
  support: [],
};

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

/** The folder of src-main that a file lies in ('' for a file directly in src-main). */
function mainFolderOf(root, file) {
  const parts = path.relative(path.join(root, 'src-main'), file).split(path.sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Violations of MAIN_FOLDERS by one relative import of a src-main file. */
function mainFolderViolation(root, file, target, spec, where) {
  const from = mainFolderOf(root, file);
  const to = mainFolderOf(root, target);
  if (from === to || !Object.hasOwn(MAIN_FOLDERS, from)) return undefined;
  if (!Object.hasOwn(MAIN_FOLDERS, to)) return `${where}: src-main/${to || '(top level)'} is not a folder of the layer table in scripts/check-layers.mjs ("${spec}")`;
  if (MAIN_FOLDERS[from].includes(to)) return undefined;
  const allowed = MAIN_FOLDERS[from].length ? MAIN_FOLDERS[from].join(', ') : 'no other folder';
  return `${where}: src-main/${from} may not import src-main/${to} ("${spec}"); it may import ${allowed}`;
}

export function checkLayers(root) {
  const violations = [];
  for (const layer of ['src-shared', 'src-main', 'src-renderer']) {
    for (const file of walk(path.join(root, layer))) {
      if (layer === 'src-main' && !Object.hasOwn(MAIN_FOLDERS, mainFolderOf(root, file))) {
        violations.push(`${path.relative(root, file)}: src-main/${mainFolderOf(root, file) || '(top level)'} is not a folder of the layer table in scripts/check-layers.mjs`);
      }
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const spec = match[1];
        const line = text.slice(0, match.index + match[0].length).split('\n').length;
        const where = `${path.relative(root, file)}:${line}`;
        if (spec.startsWith('.')) {
          const target = layerOf(root, path.resolve(path.dirname(file), spec));
          if (layer === 'src-shared' && target && target !== 'src-shared') violations.push(`${where}: src-shared must not import ${target} ("${spec}")`);
          if (layer === 'src-main' && target === 'src-renderer') violations.push(`${where}: src-main must not import src-renderer ("${spec}")`);
          if (layer === 'src-main' && target === 'src-main') {
            const violation = mainFolderViolation(root, file, path.resolve(path.dirname(file), spec), spec, where);
            if (violation) violations.push(violation);
          }
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
  console.log('Layer check passed: src-shared is pure; src-main and src-renderer do not import each other; the folders of src-main import only those below them.');
}
