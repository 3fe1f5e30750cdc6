import { describe, expect, it } from 'vitest';
import { estimateStepHeapBytes, fitTileToBackend, largestFittingTile, WASM_HEAP_BUDGET_BYTES } from '../../../src-main/engine/memory-fit';
import { architectureOf, resolveTrainConfig } from '../../../src-main/engine/train-config';
import { isLegalInputSize } from '../../../src-shared/imaging/tile-geometry';

const FACTS = { numClasses: 3, inChannels: 1 };

describe('fitting the tile to the wasm heap', () => {
  it('leaves the fast preset alone and any config on the native backends', () => {
    const fast = resolveTrainConfig({ preset: 'fast', tile: 572 }, FACTS);
    expect(fitTileToBackend(fast, 'wasm', () => undefined)).toEqual(fast);
    const paper = resolveTrainConfig({ preset: 'paper' }, FACTS);
    expect(fitTileToBackend(paper, 'tensorflow-gpu', () => undefined)).toEqual(paper);
  });

  it('shrinks the paper tile on wasm to the largest legal tile that fits, and says so', () => {
    const paper = resolveTrainConfig({ preset: 'paper' }, FACTS);
    const warnings: string[] = [];
    const fitted = fitTileToBackend(paper, 'wasm', (m) => warnings.push(m));
    expect(fitted.tile).toBeLessThan(572);
    expect(isLegalInputSize(fitted.tile, 4)).toBe(true);
    expect(estimateStepHeapBytes(architectureOf(fitted), fitted.tile)).toBeLessThanOrEqual(WASM_HEAP_BUDGET_BYTES);
    expect(estimateStepHeapBytes(architectureOf(fitted), fitted.tile + 16)).toBeGreaterThan(WASM_HEAP_BUDGET_BYTES);
    expect(fitted.outputTile).toBe(fitted.tile - 184);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`training with tile ${fitted.tile}`);
  });

  it('refuses with TOO_LARGE and names the tile that fits when shrinking is off', () => {
    const paper = resolveTrainConfig({ preset: 'paper', autoShrinkTile: false }, FACTS);
    const fits = largestFittingTile(architectureOf(paper), 572);
    expect(() => fitTileToBackend(paper, 'wasm', () => undefined)).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringContaining(`largest tile that fits is ${fits}`) }),
    );
  });

  it('refuses a network too wide for any tile', () => {
    const huge = resolveTrainConfig({ preset: 'paper', baseChannels: 256 }, FACTS);
    expect(() => fitTileToBackend(huge, 'wasm', () => undefined)).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('estimates within 15% of the heaps measured on wasm', () => {
    // Heaps after training steps (scripts/bench/engine-train.ts): base 16 @ 572: 1182 MiB; 32 @ 572: 2276 MiB.
    const arch = (base: number) => ({ depth: 4, baseChannels: base, inChannels: 1, numClasses: 3, dropout: 0.5 });
    const mib = (b: number) => b / 2 ** 20;
    expect(mib(estimateStepHeapBytes(arch(16), 572)) / 1182).toBeGreaterThan(0.85);
    expect(mib(estimateStepHeapBytes(arch(16), 572)) / 1182).toBeLessThan(1.15);
    expect(mib(estimateStepHeapBytes(arch(32), 572)) / 2276).toBeGreaterThan(0.85);
    expect(mib(estimateStepHeapBytes(arch(32), 572)) / 2276).toBeLessThan(1.15);
  });
});
