/**
 * Training-step benchmark (`npm run bench:train`): ms per step for each engine and preset, the share of
 * the step spent waiting for data, peak RSS, and, when Debian's python3-torch is installed, the same
 * U-Net step in PyTorch (CPU) at the same thread counts, measured in the same run.
 *
 *   npm run bench:train -- [--steps 6] [--skip-paper] [--backends ort-cpu:1,ort-cpu:all,wasm] [--cases fast@316,paper@572]
 *
 * A backend is a training backend choice, optionally with ONNX Runtime's thread count (`:all` = every
 * core). Every measurement runs in its own process (fresh heap, its own peak RSS; a crash cannot end the
 * run). Step times are medians after one warm-up step, through the real trainer (sampling and
 * augmentation included). Prints a table and writes .bench/engine-train.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Case {
  name: string;
  preset: 'fast' | 'paper' | 'tiny';
  depth: number;
  baseChannels: number;
  tile: number;
}

interface Measurement {
  backend: string;
  threads: number;
  case: string;
  baseChannels: number;
  requestedTile: number;
  tile?: number;
  steps?: number;
  msPerStep?: number;
  cpuMsPerStep?: number;
  /** Median ms per step spent waiting for the step's tiles. */
  dataMsPerStep?: number;
  peakRssMiB?: number;
  wasmHeapMiB?: number;
  note?: string;
}

const CASES: Case[] = [
  { name: 'tiny@92', preset: 'tiny', depth: 2, baseChannels: 8, tile: 92 },
  { name: 'fast@316', preset: 'fast', depth: 4, baseChannels: 16, tile: 316 },
  { name: 'fast@572', preset: 'fast', depth: 4, baseChannels: 16, tile: 572 },
  { name: 'paper@572', preset: 'paper', depth: 4, baseChannels: 64, tile: 572 },
];

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '../..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function child(): Promise<void> {
  const [, , , backend, baseChannels, tile, preset, steps, threads] = process.argv;
  const { train } = await import('../../src-main/engine/trainer');
  const { generateBlobImage } = await import('../../test/helpers/synthetic-blobs');
  const tf = await import('@tensorflow/tfjs-core');
  const size = 900;
  const blobs = generateBlobImage(1, { width: size, height: size, count: 400, radius: 14, touching: true, noise: 0.08 });
  const sample = { id: 'bench', image: blobs.image, width: size, height: size, channels: 1, classMap: blobs.classMap, instanceMap: blobs.instanceMap };
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'unet-bench-'));
  const wall: number[] = [];
  const cpu: number[] = [];
  const data: number[] = [];
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  let tileUsed = Number(tile);
  const result = await train(
    {
      config: {
        preset: preset as Case['preset'],
        baseChannels: Number(baseChannels),
        tile: Number(tile),
        steps: Number(steps),
        backend: backend as 'wasm',
        threads: Number(threads),
        validateEvery: 1_000_000,
        checkpointEvery: 1_000_000,
        seed: 1,
        // The network and optimizer of the PyTorch side (the paper's: SGD, no normalisation).
        optimizer: 'sgd',
        momentum: 0.99,
        batchNorm: false,
      },
      train: [sample],
      validation: [],
      outDir,
    },
    {
      onStart: (info) => {
        tileUsed = info.config.tile;
        lastWall = performance.now();
        lastCpu = process.cpuUsage();
      },
      onProgress: (p) => {
        const now = performance.now();
        data.push(p.dataMs);
        const c = process.cpuUsage(lastCpu);
        wall.push(now - lastWall);
        cpu.push((c.user + c.system) / 1000);
        lastWall = now;
        lastCpu = process.cpuUsage();
      },
    },
  );
  rmSync(outDir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const measured = wall.length > 1 ? wall.slice(1) : wall;
  const measuredCpu = cpu.length > 1 ? cpu.slice(1) : cpu;
  const heap = backend === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length : 0;
  process.stdout.write(
    `RESULT ${JSON.stringify({
      status: result.status,
      error: result.error?.message,
      tile: tileUsed,
      steps: measured.length,
      msPerStep: measured.length ? median(measured) : undefined,
      cpuMsPerStep: measuredCpu.length ? median(measuredCpu) : undefined,
      dataMsPerStep: data.length > 1 ? median(data.slice(1)) : undefined,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      wasmHeapMiB: heap / 2 ** 20,
    })}\n`,
  );
}

function runChild(backend: string, threads: number, c: Case, steps: number): Measurement {
  const base: Measurement = { backend, threads, case: c.name, baseChannels: c.baseChannels, requestedTile: c.tile };
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', here, '--child', backend, String(c.baseChannels), String(c.tile), c.preset, String(steps), String(threads)],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '68719476736' } },
  );
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { ...base, note: `no result (exit ${res.status ?? res.signal}): ${(res.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
  const r = JSON.parse(line.slice(7)) as Measurement & { status: string; error?: string };
  if (r.status !== 'succeeded') return { ...base, note: `${r.status}: ${r.error ?? ''}` };
  const note = r.tile !== c.tile ? `tile ${c.tile} does not fit the wasm heap; shrunk to ${r.tile}` : undefined;
  return { ...base, tile: r.tile, steps: r.steps, msPerStep: r.msPerStep, cpuMsPerStep: r.cpuMsPerStep, dataMsPerStep: r.dataMsPerStep, peakRssMiB: r.peakRssMiB, wasmHeapMiB: r.wasmHeapMiB, ...(note ? { note } : {}) };
}

// The same network, loss and optimizer in PyTorch: valid 3x3 convs + ReLU, 2x2 max-pool, 2x2 stride-2
// up-convolution, crop-and-concatenate, dropout at the bottom, 1x1 output, weighted cross-entropy,
// SGD momentum 0.99.
const TORCH_STEP = String.raw`
import sys, time, json, torch, torch.nn as nn, torch.nn.functional as F
base, tile, threads, steps, depth = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads); torch.manual_seed(1)
K = 3
def conv(i, o): return nn.Sequential(nn.Conv2d(i, o, 3), nn.ReLU(inplace=True), nn.Conv2d(o, o, 3), nn.ReLU(inplace=True))
class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        ch = [base * 2 ** l for l in range(depth + 1)]
        self.enc = nn.ModuleList([conv(1 if l == 0 else ch[l - 1], ch[l]) for l in range(depth)])
        self.bottom = conv(ch[depth - 1], ch[depth]); self.drop = nn.Dropout(0.5)
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch[l + 1], ch[l], 2, stride=2) for l in reversed(range(depth))])
        self.dec = nn.ModuleList([conv(2 * ch[l], ch[l]) for l in reversed(range(depth))])
        self.out = nn.Conv2d(ch[0], K, 1)
    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x); skips.append(x); x = F.max_pool2d(x, 2)
        x = self.drop(self.bottom(x))
        for u, d, s in zip(self.up, self.dec, reversed(skips)):
            x = u(x); c = (s.shape[-1] - x.shape[-1]) // 2
            x = d(torch.cat([s[:, :, c:c + x.shape[-2], c:c + x.shape[-1]], x], 1))
        return self.out(x)
net = UNet(); opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.99)
x = torch.randn(1, 1, tile, tile)
with torch.no_grad(): out = net(x).shape[-1]
y = torch.randint(1, K, (1, out, out)); w = torch.rand(1, out, out) + 0.5
times, cpus = [], []
for i in range(steps + 2):
    t0 = time.perf_counter(); c0 = time.process_time(); opt.zero_grad()
    logp = F.log_softmax(net(x), 1)
    loss = -(w * logp.gather(1, y[:, None])[:, 0]).sum() / w.sum()
    loss.backward(); opt.step()
    times.append((time.perf_counter() - t0) * 1000); cpus.append((time.process_time() - c0) * 1000)
times, cpus = sorted(times[2:]), sorted(cpus[2:])
print(json.dumps({"msPerStep": times[len(times) // 2], "cpuMsPerStep": cpus[len(cpus) // 2], "torch": torch.__version__}))
`;

function torchStep(c: Case, threads: number, steps: number): { msPerStep?: number; cpuMsPerStep?: number; note?: string; version?: string } {
  const py = '/usr/bin/python3';
  const res = spawnSync(py, ['-c', TORCH_STEP, String(c.baseChannels), String(c.tile), String(threads), String(steps), String(c.depth)], {
    encoding: 'utf8',
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '68719476736', OMP_NUM_THREADS: String(threads) },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as { msPerStep: number; cpuMsPerStep: number; torch: string };
    return { msPerStep: r.msPerStep, cpuMsPerStep: r.cpuMsPerStep, version: r.torch };
  } catch {
    return { note: (res.stderr ?? '').trim().split('\n').slice(-2).join(' | ') || `exit ${res.status}` };
  }
}

function torchAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function fmt(v: number | undefined, digits = 0): string {
  return v === undefined ? '-' : v.toFixed(digits);
}

async function main(): Promise<void> {
  const steps = Number(arg('steps', '6'));
  const cores = os.cpus().length;
  const backends = arg('backends', 'ort-cpu:1,ort-cpu:all,wasm').split(',').map((b) => {
    const [name, t] = b.split(':');
    // tfjs backends run on one thread whatever is asked.
    return { name, threads: name.startsWith('ort') ? (t === 'all' || !t ? cores : Number(t)) : 1 };
  });
  const wanted = arg('cases', 'fast@316,paper@572').split(',');
  const skipPaper = process.argv.includes('--skip-paper');
  const cases = CASES.filter((c) => wanted.includes(c.name) && !(skipPaper && c.preset === 'paper'));
  const measurements: Measurement[] = [];
  for (const backend of backends) {
    for (const c of cases) {
      // The pure-JS backend's filter gradient is ~100x slower than its forward pass: the tiny case only.
      if (backend.name === 'cpu' && c.preset !== 'tiny') continue;
      const n = c.preset === 'paper' ? Math.max(3, Math.ceil(steps / 2)) : c.preset === 'tiny' ? 3 * steps : steps;
      process.stderr.write(`measuring ${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''}) ${c.name} (${n} steps)...\n`);
      const m = runChild(backend.name, backend.threads, c, n);
      if (m.note?.startsWith('failed') && /BACKEND_UNAVAILABLE|no training backend|Cannot find/.test(m.note)) {
        process.stderr.write(`  ${backend.name}: not available (${m.note.slice(0, 160)})\n`);
        break;
      }
      measurements.push(m);
    }
  }

  const torch: Array<{ case: string; threads: number; msPerStep?: number; cpuMsPerStep?: number; note?: string }> = [];
  let torchVersion: string | undefined;
  const torchThreads = [...new Set([1, cores, ...backends.map((b) => b.threads)])];
  if (torchAvailable()) {
    for (const c of cases) {
      for (const threads of torchThreads) {
        process.stderr.write(`measuring pytorch ${c.name} (${threads} thread${threads > 1 ? 's' : ''})...\n`);
        const r = torchStep(c, threads, c.preset === 'paper' ? Math.max(3, Math.ceil(steps / 2)) : steps);
        torchVersion = r.version ?? torchVersion;
        torch.push({ case: c.name, threads, msPerStep: r.msPerStep, cpuMsPerStep: r.cpuMsPerStep, ...(r.note ? { note: r.note } : {}) });
      }
    }
  } else {
    process.stderr.write('PyTorch is not installed (Debian: apt-get install python3-torch): no PyTorch rows\n');
  }

  const rows = measurements.map((m) => {
    // PyTorch at the same thread count, on the same tile.
    const t = torch.find((x) => x.case === m.case && x.threads === m.threads && m.tile === m.requestedTile);
    return {
      ...m,
      dataShare: m.dataMsPerStep !== undefined && m.msPerStep ? m.dataMsPerStep / m.msPerStep : undefined,
      vsTorch: t?.msPerStep && m.msPerStep ? m.msPerStep / t.msPerStep : undefined,
    };
  });
  const header = ['engine', 'threads', 'case', 'tile', 'ms/step', 'data ms', 'data share', 'cpu ms/step', 'peak RSS MiB', 'x PyTorch (same threads)', 'note'];
  const table = rows.map((r) => [
    r.backend,
    String(r.threads),
    r.case,
    String(r.tile ?? '-'),
    fmt(r.msPerStep),
    fmt(r.dataMsPerStep, 1),
    r.dataShare === undefined ? '-' : `${(100 * r.dataShare).toFixed(0)} %`,
    fmt(r.cpuMsPerStep),
    fmt(r.peakRssMiB),
    fmt(r.vsTorch, 2),
    (r.note ?? '').slice(0, 90),
  ]);
  for (const t of torch) {
    table.push([`pytorch ${torchVersion ?? ''}`, String(t.threads), t.case, t.case.split('@')[1], fmt(t.msPerStep), '-', '-', fmt(t.cpuMsPerStep), '-', '1.00', (t.note ?? '').slice(0, 90)]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
  console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  mkdirSync(path.join(root, '.bench'), { recursive: true });
  const out = path.join(root, '.bench', 'engine-train.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() },
        stepsPerMeasurement: steps,
        engines: rows,
        pytorch: { version: torchVersion, results: torch },
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${path.relative(root, out)}`);
}

if (process.argv[2] === '--child') {
  await child();
  process.exit(0);
} else {
  await main();
}
