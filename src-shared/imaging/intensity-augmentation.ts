import { UnetError } from '../contract/errors';
import type { Rng } from './rng';
import { assertLength } from './validate';

/**
 * Gray-value variations for normalised images (roughly 0..1). Each option is the largest change drawn; 0 turns
 * that variation off. Draw order (always all five, so the stream stays aligned): gamma, contrast, brightness,
 * noise level, whether this sample gets noise.
 */
export interface IntensityOptions {
  /** gamma = exp(u), u uniform in [-gamma, gamma]; applied as sign(v) |v|^gamma. */
  gamma: number;
  /** contrast factor 1 + u, u uniform in [-contrast, contrast], about the image mean. */
  contrast: number;
  /** additive offset uniform in [-brightness, brightness]. */
  brightness: number;
  /** Gaussian noise with a standard deviation uniform in [0, noise]. */
  noise: number;
  /** Share of the samples that get noise at all (default 1). */
  noiseProbability?: number;
}

/**
 * Noise up to 0.2 (in normalised units) on half the samples: ISBI 2012's later slices are about 1.5x as
 * noisy as the earlier ones, and a model trained with noise up to 0.03 called them nearly all cell
 * (held-out V_rand 0.22 at 800 steps; 0.76 with this). Half the samples stay clean so low-contrast cues
 * (DIC) are still learned at full speed (docs/benchmarks.md, "Noise augmentation"). Gamma within exp(±0.2):
 * what training runs drew before they recorded a range (and still draw when resumed); new runs draw
 * RUN_GAMMA_RANGE.
 */
export const DEFAULT_INTENSITY_OPTIONS: IntensityOptions = { gamma: 0.2, contrast: 0.2, brightness: 0.1, noise: 0.2, noiseProbability: 0.5 };

/**
 * The gamma range (ln gamma uniform in [-range, range]: 0.61–1.65) a new training run draws unless it sets
 * one. Against 0.2, over three folds at 12 minutes: DIC-HeLa SEG 0.749 -> 0.774, the demo's 0.624 -> 0.640,
 * ISBI 2012 V_rand 0.909 -> 0.906 (IoU 0.754 -> 0.780), DSB 2018 a tie over two seeds (docs/benchmarks.md,
 * "A wider gamma"). The model then leans less on brightness, which made it miss dim nuclei beside bright ones.
 */
export const RUN_GAMMA_RANGE = 0.5;

export interface IntensityParams {
  gamma: number;
  contrast: number;
  brightness: number;
  noiseStd: number;
}

/** Missing options take their DEFAULT_INTENSITY_OPTIONS value. */
export function drawIntensityParams(rng: Rng, partial: Partial<IntensityOptions> = {}): IntensityParams {
  const options = { ...DEFAULT_INTENSITY_OPTIONS, ...partial };
  for (const [name, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (!(Number.isFinite(v) && v >= 0)) throw new UnetError('INVALID_ARGUMENT', `${name} must be >= 0, got ${v}`);
  }
  if (options.noiseProbability !== undefined && options.noiseProbability > 1) {
    throw new UnetError('INVALID_ARGUMENT', `noiseProbability must be at most 1, got ${options.noiseProbability}`);
  }
  const gamma = Math.exp(rng.uniform(-options.gamma, options.gamma));
  const contrast = 1 + rng.uniform(-options.contrast, options.contrast);
  const brightness = rng.uniform(-options.brightness, options.brightness);
  const noiseStd = rng.uniform(0, options.noise);
  // Drawn even when certain, so the stream stays aligned whatever the probability.
  const noisy = rng.uniform(0, 1) < (options.noiseProbability ?? 1);
  return { gamma, contrast, brightness, noiseStd: noisy ? noiseStd : 0 };
}

/** Applies fixed gray-value parameters; the noise (if any) is drawn from rng. */
export function applyIntensity(
  data: Float32Array,
  params: IntensityParams,
  rng: Rng,
  out?: Float32Array,
): Float32Array {
  const n = data.length;
  const result = out ?? new Float32Array(n);
  assertLength(result, n, 'out');
  const { gamma, contrast, brightness, noiseStd } = params;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    const g = gamma === 1 ? v : v >= 0 ? Math.pow(v, gamma) : -Math.pow(-v, gamma);
    result[i] = g;
    mean += g;
  }
  mean = n > 0 ? mean / n : 0;
  const offset = mean - contrast * mean + brightness;
  for (let i = 0; i < n; i++) result[i] = contrast * result[i] + offset;
  if (noiseStd > 0) for (let i = 0; i < n; i++) result[i] += noiseStd * rng.normal();
  return result;
}

/** Random gamma, contrast, brightness and noise; `out` may be `data` (in place). */
export function intensityAugment(
  data: Float32Array,
  rng: Rng,
  options: Partial<IntensityOptions> = DEFAULT_INTENSITY_OPTIONS,
  out?: Float32Array,
): Float32Array {
  return applyIntensity(data, drawIntensityParams(rng, options), rng, out);
}
