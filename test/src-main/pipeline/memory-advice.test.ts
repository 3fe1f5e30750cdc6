import { describe, expect, it } from 'vitest';
import { isLegalInputSize } from '../../../src-shared/imaging/tile-geometry';
import { estimateStepHeapBytes, WASM_HEAP_BUDGET_BYTES } from '../../../src-main/engine/memory-fit';
import { architectureOf, resolveTrainConfig, type TrainConfigInput } from '../../../src-main/engine/train-config';
import { outOfMemoryAdvice } from '../../../src-main/pipeline/memory-advice';

const GiB = 1024 ** 3;
const config = (input: TrainConfigInput) => resolveTrainConfig(input, { numClasses: 3, inChannels: 1 });

describe('outOfMemoryAdvice', () => {
  it('names the largest legal tile that needs at most half the memory of the failed one', () => {
    const paper = config({ preset: 'paper' });
    const advice = outOfMemoryAdvice(paper, 'tensorflow', 64 * GiB);
    expect(advice.tile).not.toBeNull();
    const tile = advice.tile as number;
    expect(isLegalInputSize(tile, 4)).toBe(true);
    expect(tile).toBeLessThan(572);
    const arch = architectureOf(paper);
    expect(estimateStepHeapBytes(arch, tile)).toBeLessThanOrEqual(advice.neededBytes / 2);
    // The next legal tile up would need more than half.
    expect(estimateStepHeapBytes(arch, tile + 16)).toBeGreaterThan(advice.neededBytes / 2);
    expect(advice.text).toMatch(new RegExp(`^Try a smaller tile: tile ${tile} \\(output \\d+\\) needs about [\\d.]+ GiB per step instead of 5\\.2 GiB; or the fast preset\\.$`));
  });

  it('keeps within the wasm heap and within the memory available', () => {
    const huge = config({ preset: 'paper', tile: 2044 });
    const wasm = outOfMemoryAdvice(huge, 'wasm', 64 * GiB);
    expect(wasm.tileBytes).toBeLessThanOrEqual(WASM_HEAP_BUDGET_BYTES);
    const small = outOfMemoryAdvice(huge, 'cpu', 4 * GiB);
    expect(small.tileBytes).toBeLessThanOrEqual(3 * GiB);
    const large = outOfMemoryAdvice(huge, 'cpu', 512 * GiB);
    expect(large.tile as number).toBeGreaterThan(small.tile as number);
  });

  it('says so when no smaller tile halves the memory (the network itself is the cost)', () => {
    const advice = outOfMemoryAdvice(config({ preset: 'tiny' }), 'wasm', 16 * GiB);
    expect(advice.tile).toBeNull();
    expect(advice.text).toBe('A smaller tile would not halve the memory of this U-Net (8 base channels, depth 2): use fewer base channels, or leave the engine more memory.');
  });
});
