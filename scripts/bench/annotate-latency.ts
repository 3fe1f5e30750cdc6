/**
 * The annotation-latency benchmark (test/e2e/annotate-latency.bench.ts): real mouse input through
 * Chromium against browser mode; how fast a stroke reaches the screen and the weight map follows it.
 * Builds the renderer, then runs the file with Vitest (vitest.bench.config.ts); it prints a table and
 * writes .bench/annotate-latency.json. UNET_BENCH_SIZES=512,2048,4096 picks the image sizes.
 *
 *   npx tsx scripts/bench/annotate-latency.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The benchmark measures the renderer as it is now, so it is built first.
run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--renderer']);
run(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'vitest.bench.config.ts']);
