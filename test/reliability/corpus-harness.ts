import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../src-shared/contract/errors';
import type { CorpusEntry } from '../../scripts/fuzz/make-image-corpus';
import type { FileResult, OpOutcome } from './corpus-read-child';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');

export interface CorpusLimits {
  /** A file whose three reads take longer is a hang (its child is killed). */
  perFileTimeoutMs: number;
  /** Peak resident memory a reading child may reach. */
  maxRssBytes: number;
  /** Largest rise of a child's peak virtual memory caused by one file (catches huge untouched allocations). */
  maxVmGrowthBytes: number;
}

export interface CorpusRun {
  results: Map<string, FileResult>;
  crashes: { path: string; reason: string }[];
  hangs: { path: string; ms: number }[];
  children: number;
  wallMs: number;
}

interface ChildOutcome {
  done: boolean;
  /** Index (in the list given to the child) of the file being read when it stopped. */
  stoppedAt: number | null;
  reason: string;
  hung: boolean;
}

export const READER_CHILD = path.join(here, 'corpus-read-child.ts');
const STARTUP_MS = 60_000;

function runChild(script: string, files: string[], timeoutMs: number, onResult: (r: FileResult) => void): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let current: number | null = null;
    let done = false;
    let hung = false;
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, ms);
    };
    // Starting Node with tsx takes seconds on a busy machine; the per-file limit starts at BEGIN.
    arm(Math.max(timeoutMs, STARTUP_MS));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('BEGIN ')) {
          current = Number(line.slice(6));
          arm(timeoutMs);
        } else if (line.startsWith('RESULT ')) {
          onResult(JSON.parse(line.slice(7)) as FileResult);
          current = null;
        } else if (line === 'DONE') done = true;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const reason = hung ? `no answer within ${timeoutMs} ms` : `exit code ${code}, signal ${signal}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      resolve({ done: done && code === 0, stoppedAt: current, reason, hung });
    });
    child.stdin.end(JSON.stringify(files));
  });
}

/**
 * Reads every file in child processes, `batchSize` files per child and `concurrency` children at a
 * time. A child that dies or stops answering is recorded against the file it was reading, and the
 * rest of its batch goes on in a new child.
 */
export async function readCorpusInChildren(
  files: string[],
  options: { batchSize: number; concurrency: number; perFileTimeoutMs: number; childScript?: string },
): Promise<CorpusRun> {
  const t0 = Date.now();
  const run: CorpusRun = { results: new Map(), crashes: [], hangs: [], children: 0, wallMs: 0 };
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += options.batchSize) batches.push(files.slice(i, i + options.batchSize));
  const runBatch = async (batch: string[]) => {
    let remaining = batch;
    while (remaining.length > 0) {
      const list = remaining;
      run.children++;
      const started = Date.now();
      const outcome = await runChild(options.childScript ?? READER_CHILD, list, options.perFileTimeoutMs, (r) => run.results.set(list[r.index], { ...r, index: files.indexOf(list[r.index]) }));
      if (outcome.done) return;
      const at = outcome.stoppedAt ?? list.findIndex((f) => !run.results.has(f));
      const culprit = list[Math.max(0, at)];
      if (outcome.hung) run.hangs.push({ path: culprit, ms: Date.now() - started });
      else run.crashes.push({ path: culprit, reason: outcome.reason });
      remaining = list.slice(Math.max(0, at) + 1);
    }
  };
  let next = 0;
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (next < batches.length) await runBatch(batches[next++]);
  });
  await Promise.all(workers);
  run.wallMs = Date.now() - t0;
  return run;
}

/** What is wrong with one read's outcome; empty when it is a clean success or a clean typed failure. */
export function problemsOf(entry: CorpusEntry, op: OpOutcome, meta: OpOutcome | undefined, limits: CorpusLimits): string[] {
  const problems: string[] = [];
  const where = `${path.basename(entry.path)} ${op.op}`;
  if (op.ms > limits.perFileTimeoutMs) problems.push(`${where}: took ${Math.round(op.ms)} ms`);
  if (op.ok) {
    if (op.op !== 'metadata' && op.samples !== op.width * op.height * op.channels) {
      problems.push(`${where}: ${op.samples} samples for ${op.width}x${op.height}x${op.channels}`);
    }
    if (op.op === 'image' && meta?.ok && (op.width !== meta.width || op.height !== meta.height || op.channels !== meta.channels || op.dtype !== meta.dtype)) {
      problems.push(`${where}: decoded ${op.width}x${op.height}x${op.channels} ${op.dtype}, metadata said ${meta.width}x${meta.height}x${meta.channels} ${meta.dtype}`);
    }
    if (op.op === 'region' && op.region && (op.width !== op.region.width || op.height !== op.region.height)) {
      problems.push(`${where}: asked for ${op.region.width}x${op.region.height}, got ${op.width}x${op.height}`);
    }
    return problems;
  }
  if (entry.valid) problems.push(`${where}: a valid image failed: ${op.code} ${op.message}`);
  if (!op.unet) problems.push(`${where}: threw ${op.name} (not a UnetError): ${op.message}`);
  else if (op.code === null || !(ERROR_CODES as readonly string[]).includes(op.code) || op.code === 'INTERNAL') problems.push(`${where}: code ${op.code}`);
  if (!op.message.includes(entry.path)) problems.push(`${where}: message does not name the file: ${op.message}`);
  return problems;
}

export interface CorpusSummary {
  files: number;
  reads: number;
  succeeded: number;
  failedByCode: Record<string, number>;
  crashes: number;
  hangs: number;
  problems: number;
  peakRssMiB: number;
  maxVmGrowthMiB: number | null;
  slowestFileMs: number;
  children: number;
  wallSeconds: number;
}

export function summarize(entries: CorpusEntry[], run: CorpusRun, problems: string[]): CorpusSummary {
  const failedByCode: Record<string, number> = {};
  let reads = 0;
  let succeeded = 0;
  let peak = 0;
  let vm: number | null = null;
  let slowest = 0;
  for (const result of run.results.values()) {
    peak = Math.max(peak, result.maxRssKb);
    if (result.vmPeakGrowthKb !== null) vm = Math.max(vm ?? 0, result.vmPeakGrowthKb);
    slowest = Math.max(slowest, result.ops.reduce((n, o) => n + o.ms, 0));
    for (const op of result.ops) {
      reads++;
      if (op.ok) succeeded++;
      else failedByCode[op.code ?? op.name] = (failedByCode[op.code ?? op.name] ?? 0) + 1;
    }
  }
  return {
    files: entries.length,
    reads,
    succeeded,
    failedByCode,
    crashes: run.crashes.length,
    hangs: run.hangs.length,
    problems: problems.length,
    peakRssMiB: Math.round(peak / 1024),
    maxVmGrowthMiB: vm === null ? null : Math.round(vm / 1024),
    slowestFileMs: Math.round(slowest),
    children: run.children,
    wallSeconds: Math.round(run.wallMs / 100) / 10,
  };
}

/** Every problem of a run: crashes, hangs, memory over the limits, and bad outcomes. */
export function corpusProblems(entries: CorpusEntry[], run: CorpusRun, limits: CorpusLimits): string[] {
  const problems: string[] = [];
  for (const c of run.crashes) problems.push(`crash while reading ${c.path}: ${c.reason}`);
  for (const h of run.hangs) problems.push(`hang while reading ${h.path} (${h.ms} ms)`);
  for (const entry of entries) {
    const result = run.results.get(entry.path);
    if (!result) {
      if (!run.crashes.some((c) => c.path === entry.path) && !run.hangs.some((h) => h.path === entry.path)) problems.push(`no result for ${entry.path}`);
      continue;
    }
    if (result.maxRssKb * 1024 > limits.maxRssBytes) problems.push(`${entry.path}: peak RSS ${Math.round(result.maxRssKb / 1024)} MiB`);
    if (result.vmPeakGrowthKb !== null && result.vmPeakGrowthKb * 1024 > limits.maxVmGrowthBytes) {
      problems.push(`${entry.path}: raised peak virtual memory by ${Math.round(result.vmPeakGrowthKb / 1024)} MiB (an allocation from a declared size?)`);
    }
    const meta = result.ops.find((o) => o.op === 'metadata');
    for (const op of result.ops) problems.push(...problemsOf(entry, op, meta, limits));
  }
  return problems;
}
