/**
 * `npm run bench`: runs every benchmark script in scripts/bench/ one after the other (each in its own
 * process, so that memory and timings are its own) and writes one summary, .bench/summary.json, with
 * each script's exit code, duration and the JSON results it wrote under .bench/.
 *
 *   npm run bench                                   every script; paper.ts is skipped without data, recalibrate.ts and reference.ts always,
 *                                                   annotate-latency.ts (Chromium) without Chromium
 *   npm run bench -- --paper-data DIR [--paper-data DIR2] [--paper-minutes 8]
 *   npm run bench -- --only engine-infer,imaging-io  a subset
 *
 * Extra arguments after `--` are not passed to the scripts: run a script directly for its options.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = path.join(root, 'scripts', 'bench');
const outDir = path.join(root, '.bench');
const { values } = parseArgs({
  options: {
    'paper-data': { type: 'string', multiple: true },
    'paper-minutes': { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});

interface Invocation {
  script: string;
  args: string[];
}

const only = values.only ? new Set(values.only.split(',').map((s) => s.trim().replace(/\.ts$/, ''))) : null;
const scripts = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => !only || only.has(f.replace(/\.ts$/, '')))
  .sort();

/** Where the annotation-latency benchmark finds Chromium (the same places as test/e2e/harness.ts). */
function hasChromium(): boolean {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => !!p && existsSync(p));
}

const invocations: Invocation[] = [];
const skipped: { script: string; reason: string }[] = [];
for (const script of scripts) {
  if (script === 'paper.ts') {
    const data = values['paper-data'] ?? [];
    if (data.length === 0) skipped.push({ script, reason: 'needs --paper-data DIR (a folder with images/ and masks/)' });
    for (const dir of data) invocations.push({ script, args: ['--data', path.resolve(dir), '--minutes', values['paper-minutes'] as string] });
  } else if (script === 'recalibrate.ts') {
    skipped.push({ script, reason: 'needs the workspaces of trained runs (npm run bench:recalibrate -- WORKSPACE ...)' });
  } else if (script === 'reference.ts') {
    skipped.push({ script, reason: 'trains the PyTorch reference alone for minutes (npm run bench:reference -- --train DIR --test DIR)' });
  } else if (script === 'annotate-latency.ts' && !hasChromium()) {
    skipped.push({ script, reason: 'needs Chromium (apt-get install chromium, or CHROMIUM_PATH)' });
  } else {
    invocations.push({ script, args: [] });
  }
}

function jsonFilesSince(time: number): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .map((f) => path.join(outDir, f))
    .filter((f) => statSync(f).mtimeMs >= time);
}

const results = [];
for (const { script, args } of invocations) {
  const label = [script, ...args].join(' ');
  process.stderr.write(`\n=== ${label}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, script), ...args], { cwd: root, stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  const outputs = jsonFilesSince(started - 1).map((file) => {
    let content: unknown = null;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      content = null;
    }
    return { file: path.relative(root, file), content };
  });
  process.stderr.write(`=== ${label}: exit ${run.status ?? run.signal} in ${seconds.toFixed(0)} s\n`);
  results.push({ script, args, exitCode: run.status, signal: run.signal, seconds, outputs });
}

mkdirSync(outDir, { recursive: true });
const summary = { date: new Date().toISOString(), node: process.versions.node, results, skipped };
writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
const failed = results.filter((r) => r.exitCode !== 0);
process.stdout.write(`\nbench: ${results.length - failed.length} of ${results.length} script run(s) succeeded${skipped.length ? `, ${skipped.length} skipped (${skipped.map((s) => `${s.script}: ${s.reason}`).join('; ')})` : ''}; summary in .bench/summary.json\n`);
process.exit(failed.length > 0 ? 1 : 0);
