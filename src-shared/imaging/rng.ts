import { UnetError } from '../contract/errors';

/** A seeded pseudo-random generator: the same seed always gives the same sequence on every platform. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, std 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** A new generator seeded from this one, so that sub-tasks get independent yet reproducible streams. */
  fork(): Rng;
}

/** splitmix32: spreads any 32-bit seed into well-mixed state words. */
function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Folds any finite number (also non-integers and values beyond 32 bits) into a 32-bit seed. */
function seedWord(seed: number): number {
  if (Number.isInteger(seed) && seed >= -0x80000000 && seed <= 0xffffffff) return seed | 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return (view.getUint32(0) ^ Math.imul(view.getUint32(4), 0x9e3779b1)) | 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast chaotic generator): 128-bit state, passes PractRand, very fast in JS. */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new UnetError('INVALID_ARGUMENT', `seed must be a finite number, got ${seed}`);
  }
  const mix = splitmix32(seedWord(seed));
  let a = mix() | 0;
  let b = mix() | 0;
  let c = mix() | 0;
  let d = mix() | 0;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32();

  // Box-Muller gives two normals per draw; the second one is kept for the next call.
  let spare = 0;
  let hasSpare = false;

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    normal: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      let u = 0;
      while (u === 0) u = nextU32() / 4294967296;
      const v = nextU32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      hasSpare = true;
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => {
      if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
        throw new UnetError('INVALID_ARGUMENT', `int(n) needs an integer n in [1, 2^32], got ${n}`);
      }
      // Rejection sampling removes the modulo bias for n that do not divide 2^32.
      const limit = 4294967296 - (4294967296 % n);
      let x = nextU32();
      while (x >= limit) x = nextU32();
      return x % n;
    },
    uniform: (low: number, high: number) => low + (high - low) * (nextU32() / 4294967296),
    fork: () => createRng(nextU32() ^ Math.imul(nextU32(), 0x27d4eb2d)),
  };
  return rng;
}
