import { describe, expect, it } from 'vitest';
import { WeightAverage } from '../../../../src-main/engine/ort-train/weight-average';

describe('WeightAverage', () => {
  it('starts at a copy of the state and follows it with the ramped decay', () => {
    const live = [new Float32Array([0, 10]), new Float32Array([4])];
    const average = WeightAverage.start(0.99, live);
    live[0][0] = 99; // a copy: later changes to the live arrays do not leak in
    expect(Array.from(average.current[0])).toEqual([0, 10]);
    // First update keeps (1 + 1) / (10 + 1) = 2/11 of the average.
    expect(average.nextKeep()).toBeCloseTo(2 / 11, 12);
    average.update([new Float32Array([11, 10]), new Float32Array([4])]);
    expect(average.current[0][0]).toBeCloseTo(11 * (9 / 11), 5);
    expect(average.current[0][1]).toBeCloseTo(10, 5);
    expect(average.updates).toBe(1);
  });

  it('caps the kept share at the decay once the ramp passes it', () => {
    const average = WeightAverage.start(0.9, [new Float32Array(1)]);
    for (let i = 0; i < 200; i++) average.update([new Float32Array(1)]);
    expect(average.nextKeep()).toBe(0.9);
    // A step change is then followed with time constant 1 / (1 - 0.9) = 10 updates.
    for (let i = 0; i < 10; i++) average.update([new Float32Array([1])]);
    expect(average.current[0][0]).toBeCloseTo(1 - 0.9 ** 10, 5);
  });

  it('averages out noise around a value better than the last sample', () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
    const average = WeightAverage.start(0.99, [new Float32Array([1 + noise()])]);
    let last = 0;
    for (let i = 0; i < 2000; i++) {
      last = 1 + noise();
      average.update([new Float32Array([last])]);
    }
    expect(Math.abs(average.current[0][0] - 1)).toBeLessThan(0.1);
  });

  it('saves and restores, and refuses a saved average that does not match', () => {
    const average = WeightAverage.start(0.995, [new Float32Array([1, 2]), new Float32Array([3])]);
    average.update([new Float32Array([2, 2]), new Float32Array([3])]);
    const saved = average.state();
    const restored = WeightAverage.restore(0.995, saved, [new Float32Array(2), new Float32Array(1)]);
    expect(restored.updates).toBe(1);
    expect(Array.from(restored.current[0])).toEqual(Array.from(average.current[0]));
    expect(restored.nextKeep()).toBe(average.nextKeep());
    expect(() => WeightAverage.restore(0.995, saved, [new Float32Array(3), new Float32Array(1)])).toThrow(/does not match the network/);
    expect(() => WeightAverage.restore(0.995, { updates: -1, values: saved.values }, [new Float32Array(2), new Float32Array(1)])).toThrow(/does not match/);
  });

  it('refuses a decay outside (0, 1)', () => {
    expect(() => WeightAverage.start(1, [])).toThrow(/decay must be in \(0, 1\)/);
    expect(() => WeightAverage.start(0, [])).toThrow(/decay must be in \(0, 1\)/);
  });
});
