import { describe, expect, it } from 'vitest';
import { lineageOf, recordedStartOf } from '../../../src-main/store/run-lineage';

const fromRun = (runId: number, step = 40) => ({ init: { source: { kind: 'run', runId }, label: `run #${runId} (r${runId})`, step, validationIou: 0.8 } });

describe('run lineage', () => {
  it('reads the recorded start, and nothing for random weights or a malformed record', () => {
    expect(recordedStartOf(fromRun(2))).toEqual({ source: { kind: 'run', runId: 2 }, label: 'run #2 (r2)', step: 40, validationIou: 0.8 });
    expect(recordedStartOf({ depth: 4 })).toBeNull();
    expect(recordedStartOf({ init: 'run:2' })).toBeNull();
    expect(recordedStartOf({ init: { label: 'x' } })).toBeNull();
  });

  it('follows runs back to the first model, nearest first', () => {
    const configs: Record<number, Record<string, unknown>> = {
      3: fromRun(2, 30),
      2: { init: { source: { kind: 'starter', name: 'nuclei' }, label: 'starter nuclei', step: 5000, validationIou: null } },
    };
    const lineage = lineageOf(configs[3], (id) => configs[id] ?? null);
    expect(lineage.map((s) => s.label)).toEqual(['run #2 (r2)', 'starter nuclei']);
    expect(lineage[0].step).toBe(30);
    expect(lineageOf({}, () => null)).toEqual([]);
  });

  it('stops at a deleted run and at a loop', () => {
    expect(lineageOf(fromRun(9), () => null).map((s) => s.label)).toEqual(['run #9 (r9)']);
    const loop: Record<number, Record<string, unknown>> = { 1: fromRun(2), 2: fromRun(1) };
    expect(lineageOf(fromRun(1), (id) => loop[id]).map((s) => s.label)).toEqual(['run #1 (r1)', 'run #2 (r2)', 'run #1 (r1)']);
  });
});
