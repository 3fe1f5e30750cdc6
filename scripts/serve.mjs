#!/usr/bin/env node
// `npm run serve [-- --port N --host H --workspace DIR]`: builds the renderer when needed, then runs
// browser mode (the same services as the desktop app) and prints the URL with its access token.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  if (await buildRenderer({ ifStale: true })) console.error('serve: renderer built');
} catch (error) {
  console.error(`serve: building the renderer failed: ${error.message}`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main', 'entries', 'serve-entry.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
