#!/usr/bin/env node
// The `unet-studio` command. In a source checkout it runs src-main/cli/cli-main.ts through tsx (no build
// step needed); in an installed build it runs the bundled dist/main/cli.js.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src-main', 'cli', 'cli-main.ts');
const bundle = path.join(root, 'dist', 'main', 'cli.js');

function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return null;
  }
}

const loader = existsSync(source) ? tsxLoader() : null;
if (loader) {
  // A child node with the loader in its execArgv: processes it forks (the training engine) inherit it.
  const child = spawn(process.execPath, ['--import', loader, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child directly (same process group): only wait for it to wind down. Other
  // signals may be aimed at this process alone, so they are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  child.on('error', (error) => {
    process.stderr.write(`unet-studio: cannot start node: ${error.message}\n`);
    process.exit(1);
  });
} else if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  process.stderr.write(`unet-studio: neither ${path.relative(process.cwd(), source)} (with tsx installed) nor ${bundle} exists; run "npm install" or "npm run build"\n`);
  process.exit(1);
}
