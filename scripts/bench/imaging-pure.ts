/**
 * Benchmarks of the pure imaging functions. Run: npx tsx scripts/bench/imaging-pure.ts [--quick]
 * Prints a table and writes .bench/imaging-pure.json. Inputs are generated from fixed seeds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import {
  augmentSample,
  computePercentileNormalization,
  connectedComponents,
  createElasticField,
  createRng,
  DEFAULT_AUGMENT_OPTIONS,
  euclideanDistanceTransform,
  evaluateSegmentation,
  extractMirroredTile,
  informationScores,
  randScores,
  segScore,
  separationBorders,
  warpImage,
  warpNearest,
  weightMap,
  type Rng,
} from '../../src-shared/imaging/index';

const quick = process.argv.includes('--quick');

/**
 * Wall-clock AND process CPU time per run: on a shared, overloaded machine the wall time includes waiting for a
 * core, while the CPU time of this single-threaded code stays close to what an idle machine would show.
 */
interface Result {
  name: string;
  medianMs: number;
  minMs: number;
  cpuMedianMs: number;
  runs: number;
  goalMs?: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function bench(name: string, fn: () => void, runs: number, goalMs?: number): Result {
  for (let i = 0; i < Math.min(3, runs); i++) fn(); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { name, medianMs: median(wall), minMs: Math.min(...wall), cpuMedianMs: median(cpu), runs, goalMs };
}

/** Instance map of `count` random disks (later ones overwrite earlier ones, so many touch). */
function disks(rng: Rng, w: number, h: number, count: number, rMin: number, rMax: number): Uint16Array {
  const inst = new Uint16Array(w * h);
  for (let k = 1; k <= count; k++) {
    const cx = rng.int(w);
    const cy = rng.int(h);
    const r = rMin + rng.int(rMax - rMin + 1);
    for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++)
      for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) inst[y * w + x] = k;
  }
  return inst;
}

const rng = createRng(2015);
const runs = quick ? 5 : 25;
const results: Result[] = [];

// Weight map: 512x512, 100 objects, after separating touching objects.
{
  const w = 512;
  const inst = disks(rng, w, w, 100, 8, 20);
  const cls = inst.map((v) => (v ? 2 : 1)) as unknown as Uint8Array;
  const classMap = Uint8Array.from(cls);
  const sep = separationBorders(classMap, inst, w, w, 2);
  results.push(bench('weightMap 512x512, 100 objects (w0 10, sigma 5)', () => weightMap(sep.classMap, sep.instanceMap, w, w), runs, 30));
  results.push(bench('separationBorders 512x512, gap 2', () => separationBorders(classMap, inst, w, w, 2), runs));
  const mask = inst.map((v) => (v ? 0 : 1));
  results.push(bench('euclideanDistanceTransform 512x512', () => euclideanDistanceTransform(mask, w, w), runs));
}

// Elastic deformation of a 572x572 tile: field + image (bicubic) + class map and weights (nearest).
{
  const s = 572;
  const image = new Float32Array(s * s).map(() => rng.next());
  const classMap = new Uint8Array(s * s).map(() => 1 + rng.int(2));
  const weights = new Float32Array(s * s).map(() => rng.next());
  const outImage = new Float32Array(s * s);
  const outClass = new Uint8Array(s * s);
  const outWeights = new Float32Array(s * s);
  const field = createElasticField(s, s, rng);
  results.push(bench('createElasticField 572x572 (3x3 grid, sigma 10)', () => createElasticField(s, s, rng, {}, field), runs));
  results.push(bench('warpImage 572x572x1 bicubic', () => warpImage(image, s, s, 1, field, outImage), runs));
  results.push(bench('warpImage 572x572x1 bilinear', () => warpImage(image, s, s, 1, field, outImage, 'bilinear'), runs));
  results.push(bench('warpNearest 572x572 (uint8)', () => warpNearest(classMap, s, s, field, outClass), runs));
  results.push(
    bench(
      'elastic deformation 572x572 tile (field + image + labels + weights)',
      () => {
        createElasticField(s, s, rng, {}, field);
        warpImage(image, s, s, 1, field, outImage);
        warpNearest(classMap, s, s, field, outClass);
        warpNearest(weights, s, s, field, outWeights);
      },
      runs,
      20,
    ),
  );
  const sample = { image, classMap, weights, width: s, height: s, channels: 1 };
  results.push(bench('augmentSample 572x572 (all default augmentations)', () => augmentSample(sample, rng, DEFAULT_AUGMENT_OPTIONS), runs));
  // A 316 training tile (the fast preset) out of the region its rotation and deformation read (0.21 of the tile
  // and 3 sigma each side): augmenting the whole region and cropping, against the tile's window alone.
  const tile = 316;
  const margin = Math.ceil(0.21 * tile + 30);
  const r = tile + 2 * margin;
  const region = { image: image.subarray(0, r * r), classMap: classMap.subarray(0, r * r), weights: weights.subarray(0, r * r), width: r, height: r, channels: 1 };
  const tileWindow = { x: margin, y: margin, width: tile, height: tile };
  results.push(bench(`training tile ${tile}: the ${r}x${r} region augmented, then cropped`, () => augmentSample(region, rng, DEFAULT_AUGMENT_OPTIONS), runs));
  results.push(bench(`training tile ${tile}: its window of the ${r}x${r} region augmented`, () => augmentSample(region, rng, DEFAULT_AUGMENT_OPTIONS, tileWindow), runs));
  const big = new Float32Array(1024 * 1024).map(() => rng.next());
  results.push(bench('extractMirroredTile 572x572 from 1024x1024 (corner)', () => extractMirroredTile(big, 1024, 1024, 1, -92, -92, 572, 572), runs));
}

// Metrics on 1024x1024 with ~1000 objects; the prediction is the truth with shifted, merged and split objects.
{
  const w = 1024;
  const truth = disks(rng, w, w, 1000, 6, 18);
  const pred = new Uint16Array(w * w);
  for (let i = 0; i < pred.length; i++) {
    const x = i % w;
    const v = truth[i + (x < w - 1 ? 1 : 0)];
    pred[i] = v === 0 ? 0 : v % 50 === 0 ? v + 1 : v % 37 === 0 && x % 2 === 0 ? 60000 : v;
  }
  const n = runs >= 10 ? 10 : runs;
  results.push(bench('segScore 1024x1024, ~1000 objects', () => segScore(truth, pred, w, w), n));
  results.push(bench('randScores (V_rand) 1024x1024', () => randScores(truth, pred, w, w), n));
  results.push(bench('informationScores (V_info) 1024x1024', () => informationScores(truth, pred, w, w), n));
  const truthClass = truth.map((v) => (v ? 2 : 1)) as unknown as Uint8Array;
  const predClass = Uint8Array.from(pred.map((v) => (v ? 2 : 1)));
  const tc = Uint8Array.from(truthClass);
  results.push(bench('connectedComponents 1024x1024 (4-conn)', () => connectedComponents(predClass.map((c) => c - 1), w, w, 4), n));
  results.push(
    bench('evaluateSegmentation 1024x1024 (all metrics incl. warping)', () => evaluateSegmentation({ classMap: predClass, instances: pred }, { classMap: tc, instances: truth }, w, w), n),
  );
}

// Percentile normalisation of a 16-bit 4096x4096 image (histogram path).
{
  const img = new Uint16Array(4096 * 4096);
  for (let i = 0; i < img.length; i++) img[i] = 33000 + ((i * 2654435761) >>> 20);
  results.push(bench('computePercentileNormalization 4096x4096 uint16', () => computePercentileNormalization(img), quick ? 3 : 7));
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.cpus().length} cpus`);
console.log(`${pad('benchmark', 70)} ${'wall med'.padStart(9)} ${'wall min'.padStart(9)} ${'cpu med'.padStart(8)} ${'goal'.padStart(8)}  runs`);
for (const r of results) {
  const goal = r.goalMs === undefined ? '' : `${r.goalMs}${r.minMs <= r.goalMs ? ' ok' : ' MISS'}`;
  console.log(
    `${pad(r.name, 70)} ${r.medianMs.toFixed(2).padStart(9)} ${r.minMs.toFixed(2).padStart(9)} ${r.cpuMedianMs.toFixed(1).padStart(8)} ${goal.padStart(8)}  ${r.runs}`,
  );
}
mkdirSync('.bench', { recursive: true });
writeFileSync(
  '.bench/imaging-pure.json',
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, loadavg: os.loadavg(), cpu: os.cpus()[0]?.model, cpus: os.cpus().length, quick, results },
    null,
    2,
  ),
);
console.log('wrote .bench/imaging-pure.json');
