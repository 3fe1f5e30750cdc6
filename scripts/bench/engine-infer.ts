/**
 * Inference benchmark: ms per tile for ONNX Runtime, tfjs (wasm) and, where Debian's python3-torch is
 * installed, an equivalent PyTorch U-Net; megapixels/s of overlap-tile inference on a 4096x4096 image; peak RSS.
 * Each measurement runs in its own child process so that its peak RSS is its own.
 *
 *   npx tsx scripts/bench/engine-infer.ts            full run (several minutes on 2 cores)
 *   npx tsx scripts/bench/engine-infer.ts --quick    2048x2048, fewer repeats, no paper-size tiled run
 *
 * Prints a table and writes .bench/engine-infer.json. Random weights (He init): speed does not depend on them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrtRunner } from '../../src-main/engine/inference/ort-runner';
import { segmentImage } from '../../src-main/engine/inference/tiled-inference';
import { encodeOnnxModel } from '../../src-main/engine/onnx/onnx-writer';
import { randomUnetWeights } from '../../src-main/engine/onnx/random-weights';
import { buildUnetOnnxModel } from '../../src-main/engine/onnx/unet-onnx-graph';
import type { UNetArchitecture } from '../../src-main/engine/unet-architecture';
import { createRng } from '../../src-shared/imaging/rng';
import { planTiles } from '../../src-shared/imaging/tile-geometry';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const THREADS = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const PRESETS = { fast: 16, paper: 64 } as const;
type Preset = keyof typeof PRESETS;

function arch(preset: Preset): UNetArchitecture {
  return { depth: 4, baseChannels: PRESETS[preset], inChannels: 1, numClasses: 3, dropout: 0.5 };
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function randomTile(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size * size }, () => rng.normal());
}

// ---- child measurements -------------------------------------------------------------------------

async function ortTile(preset: Preset, tile: number, repeats: number) {
  const a = arch(preset);
  const runner = await createOrtRunner(encodeOnnxModel(buildUnetOnnxModel(a, randomUnetWeights(a, 1))), a, { provider: 'cpu', threads: THREADS });
  const input = randomTile(tile, 2);
  await runner.runTile(input, tile);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await runner.runTile(input, tile);
    times.push(performance.now() - t);
  }
  await runner.dispose();
  return { msPerTile: median(times), minMsPerTile: Math.min(...times), runner: runner.description, peakRssMiB: peakRssMiB() };
}

async function ortTiled(preset: Preset, tile: number, size: number) {
  const a = arch(preset);
  const runner = await createOrtRunner(encodeOnnxModel(buildUnetOnnxModel(a, randomUnetWeights(a, 1))), a, { provider: 'cpu', threads: THREADS });
  // A smooth image (sum of sines plus noise), generated row by row so the source itself costs little.
  const rng = createRng(3);
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = Math.sin(x / 37) * Math.cos(y / 53) + 0.1 * rng.normal();
  await runner.runTile(randomTile(tile, 4), tile);
  const t = performance.now();
  const result = await segmentImage(runner, { width: size, height: size, channels: 1, data }, { tile, outputs: { classMap: true, foreground: true } });
  const seconds = (performance.now() - t) / 1000;
  await runner.dispose();
  return { seconds, megapixelsPerSecond: (size * size) / 1e6 / seconds, tiles: result.tiles, msPerTile: (seconds * 1000) / result.tiles, peakRssMiB: peakRssMiB() };
}

async function tfjsTile(preset: Preset, tile: number, repeats: number) {
  const [{ initBackend }, { buildUNet }, { createTfjsRunner }] = await Promise.all([
    import('../../src-main/engine/backend'),
    import('../../src-main/engine/unet-model'),
    import('../../src-main/engine/inference/tfjs-runner'),
  ]);
  await initBackend('wasm');
  const a = arch(preset);
  const runner = createTfjsRunner(buildUNet(a, { seed: 1, inputSize: tile }), a, { ownsModel: true });
  const input = randomTile(tile, 2);
  await runner.runTile(input, tile);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await runner.runTile(input, tile);
    times.push(performance.now() - t);
  }
  await runner.dispose();
  return { msPerTile: median(times), minMsPerTile: Math.min(...times), runner: runner.description, peakRssMiB: peakRssMiB() };
}

// ---- PyTorch (Debian python3-torch), timed with the same threads ------------------------------------

const TORCH_SCRIPT = String.raw`
import json, sys, time, resource
import torch
import torch.nn as nn
import torch.nn.functional as F

class UNet(nn.Module):
    def __init__(self, depth, base, cin, k):
        super().__init__()
        self.enc = nn.ModuleList()
        c = cin
        for l in range(depth):
            o = base * 2 ** l
            self.enc.append(nn.ModuleList([nn.Conv2d(c, o, 3), nn.Conv2d(o, o, 3)]))
            c = o
        o = base * 2 ** depth
        self.bottom = nn.ModuleList([nn.Conv2d(c, o, 3), nn.Conv2d(o, o, 3)])
        c = o
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for l in reversed(range(depth)):
            o = base * 2 ** l
            self.up.append(nn.ConvTranspose2d(c, o, 2, stride=2))
            self.dec.append(nn.ModuleList([nn.Conv2d(2 * o, o, 3), nn.Conv2d(o, o, 3)]))
            c = o
        self.out = nn.Conv2d(c, k, 1)

    def forward(self, x):
        skips = []
        for a, b in self.enc:
            x = F.relu(b(F.relu(a(x))))
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = F.relu(self.bottom[1](F.relu(self.bottom[0](x))))
        for up, (a, b), s in zip(self.up, self.dec, reversed(skips)):
            x = up(x)
            o = (s.shape[-1] - x.shape[-1]) // 2
            x = torch.cat([s[:, :, o:o + x.shape[-2], o:o + x.shape[-1]], x], 1)
            x = F.relu(b(F.relu(a(x))))
        return torch.softmax(self.out(x), 1)

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg['threads'])
torch.manual_seed(0)
results = []
for m in cfg['runs']:
    net = UNet(4, m['base'], 1, 3).eval()
    x = torch.randn(1, 1, m['tile'], m['tile'])
    with torch.inference_mode():
        net(x)
        times = []
        for _ in range(m['repeats']):
            t = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    results.append({'preset': m['preset'], 'tile': m['tile'], 'msPerTile': times[len(times) // 2], 'minMsPerTile': times[0]})
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': results,
                  'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

interface TorchRun {
  preset: Preset;
  tile: number;
  repeats: number;
}

function runTorch(runs: TorchRun[]): { torch: string; results: Array<{ preset: Preset; tile: number; msPerTile: number; minMsPerTile: number }>; peakRssMiB: number } | { error: string } {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { error: 'no /usr/bin/python3' };
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { error: 'python3-torch is not installed (apt-get install python3-torch)' };
  const result = spawnSync(python, ['-c', TORCH_SCRIPT, JSON.stringify({ threads: THREADS, runs: runs.map((r) => ({ ...r, base: PRESETS[r.preset] })) })], {
    encoding: 'utf8',
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '68719476736', OMP_NUM_THREADS: String(THREADS) },
    maxBuffer: 16 << 20,
  });
  if (result.status !== 0) return { error: `PyTorch run failed: ${result.stderr.slice(-500)}` };
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

// ---- orchestration ------------------------------------------------------------------------------

function child(args: string[]): Record<string, unknown> {
  const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...args], {
    encoding: 'utf8',
    cwd: root,
    maxBuffer: 16 << 20,
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) return { error: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(last);
}

async function childMain(args: string[]): Promise<void> {
  const [kind, preset, tile, extra] = args;
  const p = preset as Preset;
  let out: unknown;
  if (kind === 'ort-tile') out = await ortTile(p, Number(tile), Number(extra));
  else if (kind === 'ort-tiled') out = await ortTiled(p, Number(tile), Number(extra));
  else if (kind === 'tfjs-tile') out = await tfjsTile(p, Number(tile), Number(extra));
  else throw new Error(`unknown measurement ${kind}`);
  console.log(JSON.stringify(out));
}

const fmt = (v: unknown, digits = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');

const GRID: Array<{ preset: Preset; tiles: number[] }> = [
  { preset: 'fast', tiles: [572, 764, 1068] },
  { preset: 'paper', tiles: [572, 1068] },
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const imageSize = quick ? 2048 : 4096;
  const rounds = quick ? 1 : 2;
  const load = os.loadavg()[0];
  console.log(`engine-infer: ${THREADS} threads, ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load.toFixed(1)}; ${quick ? 'quick' : 'full'} run`);

  // ORT and PyTorch per-tile times alternate in rounds and the best of all rounds counts, so that a change in
  // machine load during the run does not favour whichever ran in the quieter minutes.
  const key = (p: Preset, t: number) => `${p}@${t}`;
  const ortBest = new Map<string, number>();
  const torchBest = new Map<string, number>();
  let torchInfo: { torch?: string; peakRssMiB?: number; error?: string } = {};
  for (let round = 0; round < rounds; round++) {
    for (const { preset, tiles } of GRID) {
      for (const tile of tiles) {
        const repeats = preset === 'fast' ? (tile === 572 ? 6 : 3) : 2;
        const r = child(['ort-tile', preset, String(tile), String(repeats)]);
        if (typeof r.minMsPerTile === 'number') ortBest.set(key(preset, tile), Math.min(ortBest.get(key(preset, tile)) ?? Infinity, r.minMsPerTile));
      }
    }
    const torch = runTorch(GRID.flatMap(({ preset, tiles }) => tiles.map((tile) => ({ preset, tile, repeats: preset === 'fast' ? 3 : 2 }))));
    if ('error' in torch) torchInfo = { error: torch.error };
    else {
      torchInfo = { torch: torch.torch, peakRssMiB: Math.max(torchInfo.peakRssMiB ?? 0, torch.peakRssMiB) };
      for (const r of torch.results) torchBest.set(key(r.preset, r.tile), Math.min(torchBest.get(key(r.preset, r.tile)) ?? Infinity, r.minMsPerTile));
    }
    console.log(`  round ${round + 1}/${rounds}: ${[...ortBest].map(([k, v]) => `${k} ort ${v.toFixed(0)} / torch ${fmt(torchBest.get(k))}`).join(', ')}`);
  }

  const tfjs: Record<string, Record<string, unknown>> = {};
  for (const { preset } of GRID) {
    tfjs[preset] = child(['tfjs-tile', preset, '572', String(preset === 'fast' ? 3 : 1)]);
    console.log(`  tfjs ${preset} @572: ${fmt(tfjs[preset].msPerTile)} ms${tfjs[preset].error ? ` (${String(tfjs[preset].error)})` : ''}`);
  }

  const tiled: Array<Record<string, unknown>> = [];
  for (const tile of GRID[0].tiles) {
    const r = child(['ort-tiled', 'fast', String(tile), String(imageSize)]);
    tiled.push({ preset: 'fast', tile, ...r });
    console.log(`  tiled fast @${tile}: ${fmt(r.megapixelsPerSecond, 3)} MP/s`);
  }
  const bestTile = Number([...tiled].sort((a, b) => Number(b.megapixelsPerSecond ?? 0) - Number(a.megapixelsPerSecond ?? 0))[0].tile);
  if (!quick) {
    const r = child(['ort-tiled', 'paper', String(bestTile), String(imageSize)]);
    tiled.push({ preset: 'paper', tile: bestTile, ...r });
    console.log(`  tiled paper @${bestTile}: ${fmt(r.megapixelsPerSecond, 3)} MP/s`);
  }
  // A rate from per-tile times: output pixels / (tiles x best ms). For PyTorch this counts forward passes only,
  // no tile extraction or stitching, which favours PyTorch.
  const projectedRate = (ms: number | undefined, tile: number) =>
    ms === undefined ? undefined : (imageSize * imageSize) / 1e6 / ((planTiles(imageSize, imageSize, tile, 4).tiles.length * ms) / 1000);

  console.log('\nms per tile (best of all rounds), random weights, depth 4');
  console.log('| model | tile | ORT | PyTorch | PyTorch / ORT | tfjs wasm | tfjs / ORT |');
  console.log('|---|---|---|---|---|---|---|');
  const perTile: Array<Record<string, unknown>> = [];
  for (const { preset, tiles } of GRID) {
    for (const tile of tiles) {
      const o = ortBest.get(key(preset, tile));
      const py = torchBest.get(key(preset, tile));
      const t = tile === 572 ? (tfjs[preset].msPerTile as number | undefined) : undefined;
      perTile.push({ preset, tile, ortMs: o, pytorchMs: py, tfjsWasmMs: t, pytorchOverOrt: o && py ? py / o : undefined });
      console.log(`| ${preset} (base ${PRESETS[preset]}) | ${tile} | ${fmt(o)} | ${fmt(py)} | ${o && py ? (py / o).toFixed(2) : '-'} | ${fmt(t)} | ${o && t ? (t / o).toFixed(1) : '-'} |`);
    }
  }
  console.log(`\ntiled inference, ${imageSize}x${imageSize}, class map + foreground outputs, ${THREADS} threads`);
  console.log('| model | tile | tiles | ORT s | ORT MP/s | PyTorch MP/s (forward only) | ORT / PyTorch | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of tiled) {
    const p = row.preset as Preset;
    const rate = row.megapixelsPerSecond as number | undefined;
    const pt = projectedRate(torchBest.get(key(p, row.tile as number)), row.tile as number);
    row.pytorchMegapixelsPerSecond = pt;
    console.log(`| ${p} | ${row.tile} | ${fmt(row.tiles)} | ${fmt(row.seconds, 1)} | ${fmt(rate, 3)} | ${fmt(pt, 3)} | ${rate && pt ? (rate / pt).toFixed(2) : '-'} | ${fmt(row.peakRssMiB)} |`);
  }
  if (torchInfo.error) console.log(`PyTorch: ${torchInfo.error}`);
  else console.log(`PyTorch ${torchInfo.torch}, peak RSS ${fmt(torchInfo.peakRssMiB)} MiB; load average at the end ${os.loadavg()[0].toFixed(1)}`);

  const record = {
    date: new Date().toISOString(),
    machine: { cpus: THREADS, model: os.cpus()[0]?.model, loadAverageAtStart: load, loadAverageAtEnd: os.loadavg()[0], node: process.version },
    imageSize,
    rounds,
    perTile,
    tfjs,
    tiled,
    pytorch: torchInfo,
  };
  mkdirSync(path.join(root, '.bench'), { recursive: true });
  writeFileSync(path.join(root, '.bench', 'engine-infer.json'), JSON.stringify(record, null, 2));
  console.log('\nwrote .bench/engine-infer.json');
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  childMain(argv.slice(1)).catch((error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

