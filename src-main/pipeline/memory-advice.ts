import os from 'node:os';
import type { TrainingBackend } from '../../src-shared/contract/system';
import { outputSizeFor } from '../../src-shared/imaging/tile-geometry';
import { estimateStepHeapBytes, largestFittingTile, WASM_HEAP_BUDGET_BYTES } from '../engine/memory-fit';
import { architectureOf, type TrainConfig } from '../engine/train-config';

export interface MemoryAdvice {
  /** The step memory the failed tile needed, by the same estimate the engine uses on wasm. */
  neededBytes: number;
  /** A smaller legal tile to try, or null when no smaller tile halves the memory (or fits the backend). */
  tile: number | null;
  tileBytes: number | null;
  /** One or two sentences for the user. */
  text: string;
}

/** What the machine can give a training step now: available memory, and the container's limit if any. */
export function availableMemoryBytes(): number {
  const constrained = typeof process.constrainedMemory === 'function' ? (process.constrainedMemory() ?? 0) : 0;
  const free = os.freemem();
  return constrained > 0 ? Math.min(constrained, free) : free;
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/**
 * Advice after a training step ran out of memory: the largest legal tile that needs at most half of
 * what the failed one did, and no more than the backend can hold (the wasm heap, or three quarters of
 * the memory available now). The estimate is the engine's (calibrated on wasm), so the named tile is a
 * reasonable next try rather than a guarantee.
 */
export function outOfMemoryAdvice(config: TrainConfig, backend: TrainingBackend, availableBytes = availableMemoryBytes()): MemoryAdvice {
  const arch = architectureOf(config);
  const neededBytes = estimateStepHeapBytes(arch, config.tile);
  const limit = Math.min(neededBytes / 2, 0.75 * availableBytes, backend === 'wasm' ? WASM_HEAP_BUDGET_BYTES : Infinity);
  const tile = config.tile > 1 ? largestFittingTile(arch, config.tile - 1, limit) : null;
  const fast = config.preset === 'paper';
  if (tile === null) {
    return {
      neededBytes,
      tile: null,
      tileBytes: null,
      text: `A smaller tile would not halve the memory of this U-Net (${config.baseChannels} base channels, depth ${config.depth}): use fewer base channels${fast ? ' (the fast preset)' : ''}, or leave the engine more memory.`,
    };
  }
  const tileBytes = estimateStepHeapBytes(arch, tile);
  return {
    neededBytes,
    tile,
    tileBytes,
    text: `Try a smaller tile: tile ${tile} (output ${outputSizeFor(tile, config.depth)}) needs about ${gib(tileBytes)} per step instead of ${gib(neededBytes)}${fast ? '; or the fast preset' : ''}.`,
  };
}
