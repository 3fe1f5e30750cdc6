import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A process or thread entry next to this module: the bundled `NAME.js` (dist/main), or the `NAME.ts`
 * source, which then needs tsx's loader (tests, development).
 */
export function siblingEntry(name: string): { file: string; typescript: boolean; execArgv: string[] } {
  const here = moduleUrl();
  const js = new URL(`./${name}.js`, here);
  if (existsSync(fileURLToPath(js))) return { file: fileURLToPath(js), typescript: false, execArgv: [] };
  const ts = new URL(`./${name}.ts`, here);
  if (existsSync(fileURLToPath(ts))) return { file: fileURLToPath(ts), typescript: true, execArgv: ['--import', tsxLoaderUrl()] };
  throw new Error(`${name}.js not found next to ${fileURLToPath(here)}`);
}

function moduleUrl(): URL {
  // A CommonJS bundle has no import.meta.url; fall back to its __filename.
  const url = (import.meta as { url?: string }).url;
  if (url) return new URL(url);
  return pathToFileURL(typeof __filename === 'string' ? __filename : process.argv[1]);
}

/**
 * tsx's loader as an absolute URL: a bare `--import tsx` would be resolved from the child's working
 * directory, which fails when the CLI is started from outside the checkout.
 */
function tsxLoaderUrl(): string {
  const require = createRequire(moduleUrl());
  return pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
}

/**
 * A worker thread running the entry `name`. Workers do not honour `--import` in execArgv, so a
 * TypeScript entry is started by a two-line bootstrap that loads tsx first.
 */
export function startWorker(name: string, workerData: unknown): Worker {
  const entry = siblingEntry(name);
  if (!entry.typescript) return new Worker(entry.file, { workerData });
  const api = pathToFileURL(path.join(path.dirname(createRequire(moduleUrl()).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry.file).href)}); });`;
  return new Worker(code, { eval: true, workerData });
}
