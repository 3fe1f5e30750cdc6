import { UnetError } from '../../src-shared/contract/errors';
import type { TrainingBackend } from '../../src-shared/contract/system';
import { legalInputSizes, outputSizeFor } from '../../src-shared/imaging/tile-geometry';
import { channelsAtLevel, type UNetArchitecture } from './unet-architecture';
import { parameterCount } from './unet-model';
import { architectureOf, type TrainConfig } from './train-config';

/**
 * The wasm backend's heap is 32-bit (at most 4 GiB): past it a training step fails with "memory access
 * out of bounds" and the module is unusable afterwards. So the heap a step needs is estimated beforehand
 * and the tile is shrunk (or the run refused) when it would not fit. The budget leaves room for
 * fragmentation and for validation and checkpointing next to the step.
 */
export const WASM_HEAP_BUDGET_BYTES = 3 * 1024 ** 3;

/**
 * Bytes of heap per float of forward activations during a step (the tensors kept for the backward
 * pass, the gradients and the kernels' workspace). Measured on the wasm backend, depth 4, tile 572:
 * 24.0 with 16 base channels (heap 1.15 GiB), 23.3 with 32 (2.22 GiB); the bench script prints the
 * measured heap.
 */
export const HEAP_BYTES_PER_ACTIVATION = 24;

/** Floats of every tensor the forward pass produces for one square tile. */
export function activationFloats(arch: UNetArchitecture, tile: number): number {
  let s = tile;
  let total = tile * tile * arch.inChannels;
  for (let level = 1; level <= arch.depth; level++) {
    const c = channelsAtLevel(arch, level);
    total += ((s - 2) ** 2 + (s - 4) ** 2 + ((s - 4) / 2) ** 2) * c;
    s = (s - 4) / 2;
  }
  const cb = channelsAtLevel(arch, arch.depth + 1);
  total += ((s - 2) ** 2 + 3 * (s - 4) ** 2) * cb;
  s -= 4;
  for (let level = arch.depth; level >= 1; level--) {
    const c = channelsAtLevel(arch, level);
    s *= 2;
    // up-convolution, cropped skip, concatenation (2c), two convolutions
    total += (s * s * c) * 4 + ((s - 2) ** 2 + (s - 4) ** 2) * c;
    s -= 4;
  }
  return total + s * s * arch.numClasses;
}

/** Estimated peak heap of one training step: activations plus weights, gradients and optimizer slots. */
export function estimateStepHeapBytes(arch: UNetArchitecture, tile: number): number {
  return HEAP_BYTES_PER_ACTIVATION * activationFloats(arch, tile) + 4 * 5 * parameterCount(arch) + 96 * 1024 ** 2;
}

/** Largest legal tile <= maxTile whose step fits the budget, or null. */
export function largestFittingTile(arch: UNetArchitecture, maxTile: number, budget = WASM_HEAP_BUDGET_BYTES): number | null {
  const sizes = legalInputSizes(arch.depth, 1, maxTile).reverse();
  for (const s of sizes) if (estimateStepHeapBytes(arch, s) <= budget) return s;
  return null;
}

/**
 * On wasm, returns the config with a tile that fits the heap: unchanged when it fits, shrunk (with a
 * warning) when `autoShrinkTile` allows, otherwise a TOO_LARGE error that names a tile that fits.
 * Other backends are returned unchanged.
 */
export function fitTileToBackend(config: TrainConfig, backend: TrainingBackend, warn: (message: string) => void): TrainConfig {
  if (backend !== 'wasm') return config;
  const arch = architectureOf(config);
  const need = estimateStepHeapBytes(arch, config.tile);
  if (need <= WASM_HEAP_BUDGET_BYTES) return config;
  const fits = largestFittingTile(arch, config.tile);
  const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
  if (fits === null) {
    throw new UnetError(
      'TOO_LARGE',
      `a ${config.baseChannels}-channel U-Net does not fit the wasm backend's 32-bit heap even with the smallest tile; use fewer base channels or a native backend`,
      { baseChannels: config.baseChannels, backend },
    );
  }
  const message =
    `tile ${config.tile} needs about ${gib(need)} GiB of heap per step, more than the wasm backend's ` +
    `${gib(WASM_HEAP_BUDGET_BYTES)} GiB; the largest tile that fits is ${fits} (output ${outputSizeFor(fits, config.depth)})`;
  if (!config.autoShrinkTile) throw new UnetError('TOO_LARGE', `${message}. Set the tile to ${fits} or allow shrinking.`, { tile: config.tile, fits });
  warn(`${message}; training with tile ${fits}`);
  return { ...config, tile: fits, outputTile: outputSizeFor(fits, config.depth) };
}
