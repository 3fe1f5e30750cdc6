#!/usr/bin/env node
// `npm start`: builds and launches the desktop app. Where the Electron binary is missing (offline
// machines cannot download it), it says so in one message and names browser mode instead.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMain, buildRenderer } from './build.mjs';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectronBinary(root);
if (!electron.ok) {
  console.error(
    `U-Net Studio cannot start the desktop app: ${electron.reason}.\n` +
      `Run "npm run serve" instead: it starts the same app in your browser (the URL it prints includes the access token).\n` +
      `For the desktop app, run "npm install" where Electron can be downloaded, or build installers there with "npm run dist".`,
  );
  process.exit(1);
}
try {
  await buildRenderer({ ifStale: true });
  await buildMain({ ifStale: true });
} catch (error) {
  console.error(`U-Net Studio: build failed: ${error.message}`);
  process.exit(1);
}
// npm puts .npmrc's install-time node-options into NODE_OPTIONS; Electron accepts only a few such options.
const { NODE_OPTIONS: _npmNodeOptions, ...env } = process.env;
const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...env, ELECTRON_ENABLE_SECURITY_WARNINGS: 'true' } });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
